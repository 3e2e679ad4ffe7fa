import os
import socket
import threading
from pathlib import Path

import pytest
import redis


@pytest.fixture
def silent_server():
    """(host, port) of a server that accepts connections and never says a word, as a hung
    mail server, database or broker does."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()
    stop.set()
    thread.join(timeout=2)
    for connection in accepted:
        connection.close()
    listener.close()


# The test with a real worker (test_worker.py) needs Redis and PostgreSQL: without them it is
# deselected with a line in the summary; in CI (CI or RVCU_FAIL_ON_SKIP set) the run stops with
# an error instead, as .ci/run starts both.
WORKER_TESTS = "test_worker.py"
WORKER_REDIS_URL = os.environ.get("RVCU_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def worker_test_missing():
    """Why the real-worker test cannot run here, or None."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "a worker shares the test database: set DATABASE_URL to a PostgreSQL database"
    try:
        redis.Redis.from_url(WORKER_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return f"no Redis answers at {WORKER_REDIS_URL} (RVCU_TEST_REDIS_URL)"
    return None


def pytest_collection_modifyitems(config, items):
    worker_items = [item for item in items if Path(str(item.path)).name == WORKER_TESTS]
    if not worker_items:
        return
    missing = worker_test_missing()
    if missing is None:
        return
    message = f"real-worker test not run: {missing}"
    if os.environ.get("CI") or os.environ.get("RVCU_FAIL_ON_SKIP"):
        raise pytest.UsageError(message)
    config.hook.pytest_deselected(items=worker_items)
    items[:] = [item for item in items if item not in worker_items]
    config._rvcu_worker_tests_not_run = (message, len(worker_items))


def pytest_terminal_summary(terminalreporter, config):
    not_run = getattr(config, "_rvcu_worker_tests_not_run", None)
    if not_run:
        terminalreporter.write_line(f"{not_run[0]} ({not_run[1]} deselected).", yellow=True)
