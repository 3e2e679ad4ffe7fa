"""Redis is a cache only: with REDIS_URL on a port where nothing answers, people still log in
and reset their password, public pages are served, and a warning says the cache is off."""

import logging
import socket
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from rvcu.cache import RedisCacheClient
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
RESET = "/en/accounts/password/reset/"
WARNING = "Redis does not answer"


@pytest.fixture
def closed_port():
    """A local port nothing listens on (bound once to find it free, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def _no_outage_known(monkeypatch):
    """Each test starts with a process that has seen no Redis fail."""
    monkeypatch.setattr(RedisCacheClient, "_outages", {})


@pytest.fixture
def redis_down(settings, closed_port):
    """The cache as the settings make it for REDIS_URL=redis://127.0.0.1:<closed port>/0."""
    settings.CACHES = {
        "default": {
            "BACKEND": "rvcu.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "KEY_PREFIX": "rvcu",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert type(cache._cache).__name__ == "RedisCacheClient"
    return cache


def warnings_logged(caplog):
    return [
        record
        for record in caplog.records
        if record.levelno == logging.WARNING and record.getMessage().startswith(WARNING)
    ]


def test_login_works_and_a_warning_is_logged(client, user, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="rvcu.cache")

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/en/my/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert len(warnings_logged(caplog)) == 1


def test_login_works_with_a_redis_that_never_answers(client, user, settings, caplog):
    """A port that accepts connections and never answers: each command would wait for its
    one-second time-out (20 s a login, measured); after the first the cache rests."""
    caplog.set_level(logging.WARNING, logger="rvcu.cache")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        settings.CACHES = {
            "default": {
                "BACKEND": "rvcu.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        first = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
        client.logout()
        started = time.monotonic()
        second = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
        second_took = time.monotonic() - started

    assert first.status_code == second.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert second_took < 1  # no time-out waited for
    [warning] = warnings_logged(caplog)
    assert "Timeout" in repr(warning.exc_info[1])


def test_wrong_password_is_still_refused(client, user, redis_down):
    response = client.post(LOGIN, {"login": user.email, "password": "not-the-password"})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_password_reset_works(client, user, redis_down, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.WARNING, logger="rvcu.cache")

    # The e-mail is made and sent by a task queued once the request has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert len(warnings_logged(caplog)) == 1


def test_public_pages_are_served_without_their_cache(client, krakow, settings, redis_down):
    settings.RVCU_PAGE_CACHE_SECONDS = 300

    first = client.get(reverse("cities:city-list"))
    second = client.get(reverse("cities:city-list"))

    assert first.status_code == second.status_code == 200
    assert "Kraków" in second.content.decode()


def test_healthz_says_degraded_and_keeps_the_server(client, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_every_command_is_a_miss(redis_down):
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key", "other"]) == {}
    assert cache.add("key", 1) is True  # the key was missing, so it is added
    assert cache.set("key", 1) is None
    assert cache.set_many({"key": 1}) == []
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.delete_many(["key"]) is None
    assert cache.clear() is False
    assert cache.get_or_set("key", 2) == 2
    with pytest.raises(ValueError, match="not found"):
        cache.incr("key")


def test_one_warning_for_a_burst_of_failures(redis_down, caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="rvcu.cache")
    asked = []
    original = RedisCacheClient.get_client
    monkeypatch.setattr(
        RedisCacheClient,
        "get_client",
        lambda self, *args, **kwargs: asked.append(1) or original(self, *args, **kwargs),
    )

    for _attempt in range(20):
        cache.get("key")

    assert len(warnings_logged(caplog)) == 1
    # Resting after the first failure: the other 19 reads do not wait for Redis.
    assert len(asked) == 1


def test_redis_is_tried_again_after_a_rest(redis_down, caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="rvcu.cache")
    cache.get("key")
    client = cache._cache
    monkeypatch.setattr(client._outage, "resting_until", 0.0)
    answered = []
    monkeypatch.setattr(
        client, "get_client", lambda *args, **kwargs: answered.append(1) or FakeRedis()
    )

    assert cache.get("key") == 7
    assert answered == [1]
    # The burst's warning was said once.
    assert len(warnings_logged(caplog)) == 1


class FakeRedis:
    """A redis-py client of a Redis that answers again."""

    def get(self, key):
        return b"7"  # integers are stored as they are


def test_threads_share_what_they_know_of_the_outage(redis_down, caplog, settings):
    caplog.set_level(logging.WARNING, logger="rvcu.cache")
    cache.get("key")
    location = settings.CACHES["default"]["LOCATION"]
    other_thread = RedisCacheClient([location])

    assert other_thread.is_resting()
    assert other_thread.get("key", "default") == "default"
    assert len(warnings_logged(caplog)) == 1


def test_other_redis_errors_are_not_hidden(redis_down, monkeypatch):
    from redis.exceptions import ResponseError

    class Refusing:
        def get(self, key):
            raise ResponseError("WRONGTYPE")

    monkeypatch.setattr(cache._cache, "get_client", lambda *args, **kwargs: Refusing())

    with pytest.raises(ResponseError):
        cache.get("key")
