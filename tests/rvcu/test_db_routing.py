"""The read replica's routing rules (rvcu/db_routing.py), on a second alias declared for the
test on a SQLite file: where each read and write goes, the recent-write cookie, the fallback
when the replica does not answer, /healthz. tests/deployment/replica/ proves them against a
real PostgreSQL streaming replica."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.db.utils import ConnectionHandler
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from cities.models import City
from rvcu import db_routing, health
from rvcu.db_routing import (
    RECENT_WRITE_COOKIE,
    ReplicaRouter,
    ReplicaRoutingMiddleware,
    replica_health,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
PUBLIC_PAGE = "/en/cities/"
router = ReplicaRouter()


def _declare_replica(monkeypatch, name):
    """A "replica" alias on the SQLite file `name`, with Django's defaults for the rest."""
    declared = ConnectionHandler().configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}}
    )
    monkeypatch.setitem(django_settings.DATABASES, "replica", declared["default"])


@pytest.fixture(autouse=True)
def fresh_replica_health():
    replica_health.answered()
    yield
    replica_health.answered()


@pytest.fixture
def replica(tmp_path, monkeypatch, django_db_blocker, settings):
    """A "replica" alias on a SQLite file of its own (the primary is the test database), with
    the router installed."""
    settings.DATABASE_ROUTERS = ["rvcu.db_routing.ReplicaRouter"]
    _declare_replica(monkeypatch, str(tmp_path / "replica.sqlite3"))
    with django_db_blocker.unblock():
        yield connections["replica"]
        connections["replica"].close()
    del connections["replica"]


@pytest.fixture
def unreachable_replica(tmp_path, monkeypatch, django_db_blocker):
    """A "replica" alias that cannot connect: its file is in a folder that does not exist."""
    _declare_replica(monkeypatch, str(tmp_path / "missing" / "replica.sqlite3"))
    with django_db_blocker.unblock():
        yield connections["replica"]
        connections["replica"].close()
    del connections["replica"]


def through_middleware(request, view=None):
    """`request` through the middleware; where a read of a City went during the view."""
    seen = {}

    def get_response(request):
        seen["read"] = router.db_for_read(City)
        if view is not None:
            view()
        return HttpResponse("page")

    response = ReplicaRoutingMiddleware(get_response)(request)
    return seen["read"], response


def test_replica_is_not_configured_by_default():
    assert "replica" not in django_settings.DATABASES
    assert "rvcu.db_routing.ReplicaRoutingMiddleware" not in django_settings.MIDDLEWARE
    assert django_settings.DATABASE_ROUTERS == []


def test_public_page_of_a_visitor_reads_from_the_replica(replica):
    read, response = through_middleware(RequestFactory().get(PUBLIC_PAGE))

    assert read == "replica"
    assert RECENT_WRITE_COOKIE not in response.cookies


def test_head_of_a_public_page_reads_from_the_replica(replica):
    read, _response = through_middleware(RequestFactory().head(PUBLIC_PAGE))

    assert read == "replica"


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(lambda factory: factory.post(PUBLIC_PAGE), id="post"),
        pytest.param(lambda factory: factory.get("/en/my/"), id="coordinator-page"),
        pytest.param(lambda factory: factory.get("/admin/"), id="admin"),
        pytest.param(lambda factory: factory.get("/healthz"), id="healthz"),
        pytest.param(
            lambda factory: factory.get(
                PUBLIC_PAGE, HTTP_COOKIE=f"{django_settings.SESSION_COOKIE_NAME}=abc"
            ),
            id="logged-in",
        ),
        pytest.param(
            lambda factory: factory.get(PUBLIC_PAGE, HTTP_COOKIE=f"{RECENT_WRITE_COOKIE}=1"),
            id="just-wrote",
        ),
    ],
)
def test_other_requests_read_from_the_primary(replica, request_):
    read, _response = through_middleware(request_(RequestFactory()))

    assert read == "default"


def test_reads_outside_a_request_go_to_the_primary(replica):
    assert router.db_for_read(City) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary(replica):
    reads = []

    def view():
        reads.append(router.db_for_read(City))
        with transaction.atomic():
            reads.append(router.db_for_read(City))
        reads.append(router.db_for_read(City))

    through_middleware(RequestFactory().get(PUBLIC_PAGE), view)

    assert reads == ["replica", "default", "replica"]


def test_writes_go_to_the_primary(replica):
    writes = []
    through_middleware(
        RequestFactory().get(PUBLIC_PAGE), lambda: writes.append(router.db_for_write(City))
    )

    assert writes == ["default"]


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "cities", "city")
    assert not router.allow_migrate("replica", "cities", "city")


def test_objects_of_both_databases_may_relate():
    assert router.allow_relation(City(), User())


@pytest.mark.django_db
def test_a_request_that_wrote_sets_the_recent_write_cookie(replica):
    def view():
        User.objects.create_user(email="writer@example.org", password="x-long-password-1")

    read, response = through_middleware(RequestFactory().post("/en/accounts/login/"), view)

    assert read == "default"
    cookie = response.cookies[RECENT_WRITE_COOKIE]
    assert cookie["max-age"] == django_settings.RVCU_REPLICA_STICKY_SECONDS == 10
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_a_request_that_only_read_sets_no_cookie(replica):
    _read, response = through_middleware(
        RequestFactory().post("/en/accounts/login/"), lambda: list(City.objects.all())
    )

    assert RECENT_WRITE_COOKIE not in response.cookies


def test_a_replica_that_does_not_answer_leaves_its_pages_on_the_primary(
    unreachable_replica, caplog
):
    with caplog.at_level(logging.WARNING, logger="rvcu.db_routing"):
        first, response = through_middleware(RequestFactory().get(PUBLIC_PAGE))
        second, _response = through_middleware(RequestFactory().get(PUBLIC_PAGE))

    assert (first, second) == ("default", "default")
    assert response.content == b"page"
    # Asked once: the second page did not wait for another connection attempt.
    messages = [r.getMessage() for r in caplog.records if r.name == "rvcu.db_routing"]
    assert messages == [
        "The read replica does not answer: public pages read from the primary for 10 s"
    ]


def test_a_replica_back_is_asked_again_after_the_retry_time(replica, monkeypatch):
    replica_health.failed()
    assert through_middleware(RequestFactory().get(PUBLIC_PAGE))[0] == "default"

    monkeypatch.setattr(db_routing, "REPLICA_RETRY_SECONDS", 0)

    assert through_middleware(RequestFactory().get(PUBLIC_PAGE))[0] == "replica"


@pytest.mark.django_db
def test_healthz_reports_the_replica(client, replica):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "replica": "ok"}


@pytest.mark.django_db
def test_healthz_replica_down_answers_degraded_but_200(client, unreachable_replica, caplog):
    with caplog.at_level(logging.ERROR, logger="rvcu.health"):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "replica": "unavailable",
    }
    assert [r.getMessage() for r in caplog.records if r.name == "rvcu.health"] == [
        "Health check: the replica failed"
    ]


def test_healthz_checks_no_replica_when_none_is_configured():
    assert list(health.checks()) == ["database", "cache"]


def test_replica_url_declares_the_alias_the_router_and_the_middleware():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES['replica']; "
        "print(json.dumps([r['HOST'], r['PORT'], r['NAME'], r['TEST']['MIRROR'], "
        "r['CONN_HEALTH_CHECKS'], "
        "r['OPTIONS'], s.DATABASE_ROUTERS, s.RVCU_REPLICA_STICKY_SECONDS, "
        "s.MIDDLEWARE.index('rvcu.db_routing.ReplicaRoutingMiddleware') + 1 "
        "== s.MIDDLEWARE.index('rvcu.cache.PublicPageCacheMiddleware')]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rvcu.settings.test",
        "DATABASE_REPLICA_URL": "postgres://rvcu_read:pw@replica.db.internal:5433/rvcu",
        "RVCU_REPLICA_STICKY_SECONDS": "4",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "replica.db.internal",
        5433,
        "rvcu",
        "default",
        True,
        {"connect_timeout": 5},
        ["rvcu.db_routing.ReplicaRouter"],
        4,
        True,
    ]
