"""The outbox end to end: a real Celery worker (a subprocess) on Redis, the test's PostgreSQL
database, and a real SMTP server that refuses the first delivery and accepts the second. The
message arrives exactly once."""

import os
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from django.db import connection

from cities.services import coordinator_invite
from core.mail import outbox_sweep
from core.models import OutgoingMessage, OutgoingMessageState
from rvcu.celery import app as rvcu_app
from tests.core.conftest import WORKER_REDIS_URL
from tests.factories import CityFactory

PROJECT_DIR = Path(__file__).resolve().parents[2]
State = OutgoingMessageState


class RefuseFirstHandler:
    """Answers 451 (try later) to the first message, then accepts every one."""

    def __init__(self):
        self.refused = 0
        self.accepted = []

    async def handle_DATA(self, server, session, envelope):
        if not self.refused:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.accepted.append(envelope)
        return "250 2.0.0 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = RefuseFirstHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def broker():
    """Redis (a database of these tests' own), emptied, as the broker of the test process."""
    redis.Redis.from_url(WORKER_REDIS_URL).flushdb()
    app = Celery("rvcu-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=WORKER_REDIS_URL, task_always_eager=False)
    app.set_current()
    yield WORKER_REDIS_URL
    rvcu_app.set_current()
    redis.Redis.from_url(WORKER_REDIS_URL).flushdb()


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(broker, smtp_server, tmp_path):
    """`celery -A rvcu worker` with the production settings, on the test database."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="rvcu.settings.production",
        DJANGO_SECRET_KEY="worker-test-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="portal.example",
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=broker,
        DJANGO_EMAIL_URL=f"smtp://127.0.0.1:{smtp_server[1]}",
        DJANGO_EMAIL_TIMEOUT="5",
        RVCU_EMAIL_FIRST_RETRY_SECONDS="1",
        DJANGO_CONN_MAX_AGE="0",
    )
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rvcu", "worker", "--pool", "solo"]
        + ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def wait_for(condition, *, timeout, what, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


# seeded_rows_back, not serialized_rollback: this test's flush would otherwise leave the next
# transactional tests without the data migrations' rows (see tests/conftest.py).
def test_a_refused_email_is_retried_by_the_worker_and_arrives_exactly_once(
    seeded_rows_back, worker, smtp_server, tmp_path
):
    handler, _port = smtp_server
    log = tmp_path / "worker.log"

    # A real commit: the row is queued on Redis, the worker takes it, the server says 451.
    coordinator_invite(city=CityFactory(name="Kraków"), email="ola@krakow.example")
    row = OutgoingMessage.objects.get()
    wait_for(
        lambda: OutgoingMessage.objects.filter(pk=row.pk, attempts=1, state=State.PENDING).exists(),
        timeout=60,
        what="the first, refused attempt",
        log=log,
    )
    row.refresh_from_db()
    assert handler.refused == 1
    assert "451" in row.last_error
    assert handler.accepted == []

    # The sweep (beat's job, every minute) queues the row once its next attempt has come.
    time.sleep(max(0.0, (row.next_attempt_at.timestamp() - time.time())) + 0.1)
    assert outbox_sweep() == (1, 0)
    wait_for(
        lambda: OutgoingMessage.objects.filter(pk=row.pk, state=State.SENT).exists(),
        timeout=60,
        what="the second attempt",
        log=log,
    )
    # Another sweep and a duplicate task change nothing: the row is sent.
    assert outbox_sweep() == (0, 0)
    from core.tasks import send_outgoing_message

    send_outgoing_message.delay(row.pk)
    time.sleep(2)

    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 2, "")
    assert len(handler.accepted) == 1
    envelope = handler.accepted[0]
    assert envelope.rcpt_tos == ["ola@krakow.example"]
    delivered = message_from_bytes(envelope.content, policy=policy.default)
    assert delivered["Message-ID"] == row.message_id
    assert (
        delivered["Subject"].strip()  # after the folding of a long header
        == row.subject
        == ("[RVCU] You coordinate Kraków on the Creative Cities portal")
    )
