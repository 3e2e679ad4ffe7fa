"""A private PostgreSQL 15 primary and streaming replica (pg_basebackup -R) in a temporary
directory, and gunicorn on them with DATABASE_REPLICA_URL set: the read replica as deployed.

The servers run as the `postgres` user when the tests run as root (PostgreSQL refuses root), on
free loopback ports, and are stopped and removed at the end of the session. Without the
PostgreSQL binaries the tests here are deselected, with a line in the summary; in CI (CI or
RVCU_FAIL_ON_SKIP set) the run stops with an error instead, as a skip would hide them.
"""

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.deployment.conftest import (
    HOST,
    _in_ci,
    free_port,
    manage,
    running_gunicorn,
)

HERE = Path(__file__).resolve().parent
PG_BIN = Path(os.environ.get("RVCU_PG_BIN", "/usr/lib/postgresql/15/bin"))
NO_POSTGRES = f"replica tests not run: no PostgreSQL binaries in {PG_BIN}; install postgresql-15"
WAIT_SECONDS = 30
DATABASE = "rvcu"
COORDINATOR = "coordinator@example.org"
PASSWORD = "replica-test-password-1"
CITY = "replicaville"


def postgres_available():
    return all(os.access(PG_BIN / name, os.X_OK) for name in ("initdb", "pg_ctl", "pg_basebackup"))


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if HERE in item.path.resolve().parents]
    for item in ours:
        item.add_marker(pytest.mark.proxy)
    if ours and not postgres_available():
        if _in_ci():
            raise pytest.UsageError(NO_POSTGRES)
        config.hook.pytest_deselected(items=ours)
        items[:] = [item for item in items if item not in ours]
        config._rvcu_replica_tests_not_run = len(ours)
    return (yield)


def pytest_terminal_summary(terminalreporter, config):
    not_run = getattr(config, "_rvcu_replica_tests_not_run", 0)
    if not_run:
        terminalreporter.write_line(f"{NO_POSTGRES} ({not_run} deselected).", yellow=True)


def as_postgres(arguments):
    """`arguments` as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *arguments]
    return arguments


def run(arguments):
    result = subprocess.run(
        as_postgres(arguments), capture_output=True, text=True, timeout=WAIT_SECONDS * 2
    )
    assert result.returncode == 0, f"{arguments[0]} failed:\n{result.stdout}\n{result.stderr}"


class Server:
    """One PostgreSQL server of the pair."""

    def __init__(self, name, directory, port):
        self.name, self.directory, self.port = name, directory, port
        self.log = directory.parent / f"{name}.log"

    def start(self):
        run([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-l", str(self.log), "-w",
             "-t", str(WAIT_SECONDS), "start"])  # fmt: skip

    def stop(self):
        run([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-m", "fast", "-w",
             "-t", str(WAIT_SECONDS), "stop"])  # fmt: skip

    def running(self):
        return (self.directory / "postmaster.pid").exists()

    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def query(self, sql, parameters=(), database=DATABASE):
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database,
            autocommit=True, connect_timeout=5,
        ) as connection:  # fmt: skip
            cursor = connection.execute(sql, parameters)
            return cursor.fetchall() if cursor.description else []


class Pair:
    def __init__(self, primary, replica):
        self.primary, self.replica = primary, replica

    def wait_for_replay(self):
        """Until the replica has replayed everything the primary has written so far."""
        [(target,)] = self.primary.query("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            [(caught_up,)] = self.replica.query(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)
            )
            if caught_up:
                return
            time.sleep(0.1)
        pytest.fail(f"the replica did not replay up to {target} in {WAIT_SECONDS} s")


def _server_settings(port, directory):
    return (
        f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{directory}'\n"
        # A test cluster: nothing to keep across a crash of the machine.
        "fsync = off\nfull_page_writes = off\nmax_connections = 40\n"
    )


@pytest.fixture(scope="session")
def pg_pair():
    """A PostgreSQL primary and its streaming replica, the `rvcu` database migrated."""
    # Not pytest's tmp_path: the postgres user must be able to enter it.
    base = Path(tempfile.mkdtemp(prefix="rvcu-replica-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(base, postgres.pw_uid, postgres.pw_gid)
    primary = Server("primary", base / "primary", free_port())
    replica = Server("replica", base / "replica", free_port())
    servers = []
    try:
        run([str(PG_BIN / "initdb"), "-D", str(primary.directory), "-U", "postgres",
             "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        with (primary.directory / "postgresql.conf").open("a") as conf:
            conf.write(_server_settings(primary.port, base))
        primary.start()
        servers.append(primary)
        run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
             "-U", "postgres", "-D", str(replica.directory), "-R", "-X", "stream",
             "--checkpoint=fast"])  # fmt: skip
        # The copied configuration is the primary's: the replica's own port comes after it.
        with (replica.directory / "postgresql.conf").open("a") as conf:
            conf.write(_server_settings(replica.port, base))
        replica.start()
        servers.append(replica)
        [(in_recovery,)] = replica.query("SELECT pg_is_in_recovery()", database="postgres")
        assert in_recovery, "the replica is not a standby"
        primary.query(f"CREATE DATABASE {DATABASE}", database="postgres")
        pair = Pair(primary, replica)
        environment = portal_environment(pair)
        manage(["migrate", "--noinput", "-v0"], environment)
        seed(environment)
        pair.wait_for_replay()
        yield pair
    finally:
        for server in reversed(servers):
            if server.running():
                subprocess.run(
                    as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(server.directory),
                                 "-m", "immediate", "-w", "stop"]),
                    capture_output=True, timeout=WAIT_SECONDS,
                )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def portal_environment(pair, directory=None):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_", "RVCU_"))
        and name not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "WEB_CONCURRENCY")
    }
    static = directory / "static" if directory else Path(tempfile.gettempdir()) / "rvcu-none"
    environment.update(
        DJANGO_SETTINGS_MODULE="rvcu.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_STATIC_ROOT=str(static),
        DJANGO_EMAIL_URL="consolemail://",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=pair.primary.url(),
        DATABASE_REPLICA_URL=pair.replica.url(),
        # Connections kept between requests: the replica's must be found dead once stopped.
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_DB_CONNECT_TIMEOUT="2",
        # Pages as the database has them: the page cache is tested in tests/rvcu/test_cache.py.
        RVCU_PAGE_CACHE_SECONDS="0",
    )
    return environment


SEED = f"""
from cities.models import City
from tests.factories import CityFactory, UserFactory
coordinator = UserFactory(email={COORDINATOR!r}, password={PASSWORD!r})
city = CityFactory(name="Replicaville", slug={CITY!r}, description="Founded on the primary.")
city.coordinators.add(coordinator)
"""


def seed(environment):
    manage(["shell", "--no-imports", "-c", SEED], environment)


@pytest.fixture(scope="session")
def portal(pg_pair, tmp_path_factory):
    """gunicorn under the production settings, on the primary with the replica; its port."""
    directory = tmp_path_factory.mktemp("replica-gunicorn")
    port = free_port()
    environment = portal_environment(pg_pair, directory)
    environment.update(
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        GUNICORN_GRACEFUL_TIMEOUT="5",
        GUNICORN_LOG_LEVEL="warning",
    )
    with running_gunicorn(environment, directory, port) as log:
        yield {"port": port, "log": log}
