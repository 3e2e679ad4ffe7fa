"""The read replica proven on a real PostgreSQL streaming pair (conftest.py): a visitor's public
page is read from the replica, writes go to the primary, a person who has just written reads
from the primary while the replica lags behind, and a stopped replica leaves the portal working
from the primary."""

import re
from contextlib import contextmanager

import pytest

from rvcu.db_routing import RECENT_WRITE_COOKIE
from tests.deployment.replica.conftest import CITY, COORDINATOR, PASSWORD
from tests.deployment.wire import HOST, Connection, form_body

CITY_PAGE = f"/en/cities/{CITY}/"
LOGIN = "/en/accounts/login/"
LOGOUT = "/en/accounts/logout/"
EDIT = f"/en/my/cities/{CITY}/"


class Browser:
    """Requests to gunicorn as they come from the TLS proxy, with this browser's cookies."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, values=None):
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = b""
        if values is not None:
            body = form_body({"csrfmiddlewaretoken": self.csrf_token, **values})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
        with Connection(self.port) as connection:
            answer = connection.request(method, path, headers, body)
        for cookie in answer.cookies:
            name, _, value = cookie.split(";")[0].partition("=")
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if b"csrfmiddlewaretoken" in answer.body:
            self.csrf_token = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text
            ).group(1)
        return answer

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, values):
        return self.request("POST", path, values)


def description_on_primary(pg_pair):
    [(description,)] = pg_pair.primary.query(
        "SELECT description FROM cities_city WHERE slug = %s", (CITY,)
    )
    return description


def write_description(pg_pair, text):
    pg_pair.primary.query("UPDATE cities_city SET description = %s WHERE slug = %s", (text, CITY))


@contextmanager
def replay_paused(pg_pair):
    """The replica receives the primary's changes and does not apply them: it lags behind."""
    pg_pair.replica.query("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        pg_pair.replica.query("SELECT pg_wal_replay_resume()")
        pg_pair.wait_for_replay()


def test_the_replica_is_a_read_only_standby_of_the_primary(pg_pair):
    assert pg_pair.replica.query("SELECT pg_is_in_recovery()") == [(True,)]
    assert pg_pair.primary.query("SELECT pg_is_in_recovery()") == [(False,)]
    [(senders,)] = pg_pair.primary.query(
        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
    )
    assert senders == 1


def test_a_visitors_public_page_is_read_from_the_replica(pg_pair, portal):
    write_description(pg_pair, "Before the pause.")
    pg_pair.wait_for_replay()
    with replay_paused(pg_pair):
        write_description(pg_pair, "Written while the replica waits.")

        lagging = Browser(portal["port"]).get(CITY_PAGE)

    caught_up = Browser(portal["port"]).get(CITY_PAGE)
    # Connections are kept (DJANGO_CONN_MAX_AGE), one per gunicorn thread that read there.
    [(portal_connections,)] = pg_pair.replica.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        ("rvcu",),
    )
    # Only the replica, paused, still had the old text: the page was read there.
    assert lagging.status == 200
    assert "Before the pause." in lagging.text
    assert "Written while the replica waits." not in lagging.text
    assert caught_up.status == 200
    assert "Written while the replica waits." in caught_up.text
    assert portal_connections >= 1


def test_the_writer_reads_their_own_write_while_the_replica_lags(pg_pair, portal):
    write_description(pg_pair, "Old presentation.")
    pg_pair.wait_for_replay()
    coordinator, visitor = Browser(portal["port"]), Browser(portal["port"])
    with replay_paused(pg_pair):
        coordinator.get(LOGIN)
        logged_in = coordinator.post(LOGIN, {"login": COORDINATOR, "password": PASSWORD})
        coordinator.get(EDIT)
        saved = coordinator.post(EDIT, {"description": "New presentation.", "website": ""})

        own_page = coordinator.get(CITY_PAGE)
        visitors_page = visitor.get(CITY_PAGE)
        logged_out = coordinator.post(LOGOUT, {})
        after_logout = coordinator.get(CITY_PAGE)

    assert logged_in.status == 302, logged_in.text[:500]
    assert saved.status == 302, saved.text[:500]
    # The write went to the primary (the replica, a standby, refuses every write).
    assert description_on_primary(pg_pair) == "New presentation."
    assert any(cookie.startswith(f"{RECENT_WRITE_COOKIE}=") for cookie in saved.cookies)
    assert "New presentation." in own_page.text
    assert "Old presentation." in visitors_page.text
    assert "New presentation." not in visitors_page.text
    # Logged out, no session: the recent-write cookie alone keeps them on the primary.
    assert logged_out.status == 302
    assert set(coordinator.cookies) >= {RECENT_WRITE_COOKIE}
    assert "sessionid" not in coordinator.cookies
    assert "New presentation." in after_logout.text


def test_healthz_checks_the_primary_and_the_replica(portal):
    answer = Browser(portal["port"]).get("/healthz")

    assert answer.status == 200
    assert answer.json() == {"status": "ok", "database": "ok", "cache": "ok", "replica": "ok"}


@pytest.fixture
def replica_stopped(pg_pair):
    pg_pair.replica.stop()
    try:
        yield
    finally:
        pg_pair.replica.start()
        pg_pair.wait_for_replay()


def test_a_stopped_replica_leaves_the_portal_working_from_the_primary(
    pg_pair, portal, replica_stopped
):
    write_description(pg_pair, "Written with the replica stopped.")
    pages = [Browser(portal["port"]).get(CITY_PAGE) for _attempt in range(3)]
    health = Browser(portal["port"]).get("/healthz")

    assert len(pages) == 3
    for page in pages:
        assert page.status == 200
        assert "Written with the replica stopped." in page.text
    assert health.status == 200
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "replica": "unavailable",
    }
    log = portal["log"].read_text()
    assert "The read replica does not answer: public pages read from the primary" in log
