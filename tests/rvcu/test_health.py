"""/healthz: what a load balancer probes before sending people to this server."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from rvcu import health

HEALTHY = {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_has_no_language_prefix():
    assert reverse("healthz") == "/healthz"


def test_healthz_answers_ok_to_anyone_with_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == HEALTHY


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_head(client, db):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_healthz_refuses_other_methods(client, db, method):
    response = getattr(client, method)("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_healthz_database_down_answers_503_without_the_error(client, db, caplog):
    secret = "could not connect to server at 10.1.2.3 as user rvcu"
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(secret)):
        with caplog.at_level(logging.ERROR, logger="rvcu.health"):
            response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert secret not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    [record] = [record for record in caplog.records if record.name == "rvcu.health"]
    assert record.getMessage() == "Health check: the database failed"
    assert secret in str(record.exc_info[1])


@pytest.mark.parametrize(
    "breakage",
    [
        {"set": mock.Mock(side_effect=ConnectionError("Error 111 connecting to 10.1.2.4:6379"))},
        {"get": mock.Mock(side_effect=TimeoutError("Timeout reading from socket"))},
        {"get": mock.Mock(return_value=None)},
    ],
    ids=["cache-unreachable", "cache-times-out", "cache-loses-values"],
)
def test_healthz_cache_broken_answers_degraded_but_200(client, db, caplog, breakage):
    """The portal works without its cache (see test_redis_down.py): a load balancer must keep
    the server."""
    with mock.patch.multiple(health.cache, **breakage):
        with caplog.at_level(logging.ERROR, logger="rvcu.health"):
            response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    assert "10.1.2.4" not in response.content.decode()
    assert [r.getMessage() for r in caplog.records if r.name == "rvcu.health"] == [
        "Health check: the cache failed"
    ]


def test_healthz_database_and_cache_down_answers_503(client, db):
    with (
        mock.patch.object(connection, "cursor", side_effect=OperationalError("down")),
        mock.patch.object(health.cache, "get", return_value=None),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "unavailable",
    }


def test_healthz_leaves_no_key_in_the_cache(client, db):
    client.get("/healthz")

    assert health.cache._cache == {}
