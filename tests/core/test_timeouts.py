"""Issue 12, item 3: every outgoing connection gives up on a server that accepts and never
answers (mail: tests/core/test_mail_server_down.py; here the database, the broker, the cache)."""

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from celery import Celery
from django.db.backends.postgresql.base import DatabaseWrapper

from core import mail as outbox
from core.models import OutgoingMessage
from rvcu.celery import app as rvcu_app

PROJECT_DIR = Path(__file__).resolve().parents[2]


def base_settings(**environment):
    """Some of rvcu/settings/base.py's settings as a fresh process reads them from `environment`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(environment)
    code = (
        "import json; from rvcu.settings import base as s; print(json.dumps({"
        "'db': s.DATABASES['default'].get('OPTIONS', {}), 'broker': s.CELERY_BROKER_URL,"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'cache': s.CACHES['default']['OPTIONS'],"
        "'email': s.EMAIL_TIMEOUT}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_gets_a_connect_timeout_sqlite_nothing():
    postgres = base_settings(DATABASE_URL="postgres://rvcu@127.0.0.1:5432/rvcu")
    chosen = base_settings(
        DATABASE_URL="postgres://rvcu@127.0.0.1:5432/rvcu?connect_timeout=2",
        DJANGO_DB_CONNECT_TIMEOUT="9",
    )
    sqlite = base_settings(DATABASE_URL="sqlite:////tmp/rvcu.sqlite3")

    assert postgres["db"] == {"connect_timeout": 5}
    assert chosen["db"] == {"connect_timeout": 2}
    assert sqlite["db"] == {}


def test_the_broker_defaults_to_redis_and_tasks_run_in_process_without_one():
    with_redis = base_settings(REDIS_URL="redis://127.0.0.1:6379/1")
    own = base_settings(
        REDIS_URL="redis://127.0.0.1:6379/1", CELERY_BROKER_URL="redis://127.0.0.1:6379/3"
    )
    without = base_settings()

    assert (with_redis["broker"], with_redis["eager"]) == ("redis://127.0.0.1:6379/1", False)
    assert (own["broker"], own["eager"]) == ("redis://127.0.0.1:6379/3", False)
    assert (without["broker"], without["eager"]) == ("", True)
    assert with_redis["cache"] == {"socket_connect_timeout": 1, "socket_timeout": 1}
    assert base_settings(DJANGO_EMAIL_TIMEOUT="4")["email"] == 4


def test_a_database_that_never_answers_fails_the_connection_within_the_timeout(silent_server):
    host, port = silent_server
    database = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "rvcu",
            "USER": "rvcu",
            "PASSWORD": "",
            "HOST": host,
            "PORT": str(port),
            "OPTIONS": {"connect_timeout": 1},
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )

    started = time.monotonic()
    with pytest.raises(psycopg.errors.ConnectionTimeout):
        database.get_new_connection(database.get_connection_params())

    assert time.monotonic() - started < 5


@pytest.fixture
def broker_at(request):
    """Use the broker at `url` (not the tests' in-process tasks) for the test."""
    apps = []

    def use(url):
        app = Celery("rvcu-broker-test", set_as_current=False)
        app.config_from_object("django.conf:settings", namespace="CELERY")
        app.conf.update(broker_url=url, task_always_eager=False)
        app.set_current()
        apps.append(app)
        return app

    yield use
    rvcu_app.set_current()


@pytest.mark.django_db
def test_a_broker_that_never_answers_costs_the_request_about_two_seconds(
    silent_server, broker_at, caplog, django_capture_on_commit_callbacks
):
    host, port = silent_server
    broker_at(f"redis://{host}:{port}/0")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.outbox_add(to="ola@krakow.example", subject="Hi", body="Hello.\n")

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        for callback in callbacks:
            callback()
    elapsed = time.monotonic() - started

    assert len(callbacks) == 1
    assert elapsed < 6
    assert "could not be queued; the outbox sweep will send it" in caplog.text
    assert OutgoingMessage.objects.get(pk=message.pk).queued_at is None
