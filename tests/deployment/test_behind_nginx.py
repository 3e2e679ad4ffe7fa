"""The portal behind the committed nginx configuration (deploy/nginx/rvcu.conf), as documented in
docs/deployment.md: TLS at nginx, kept-alive connections to gunicorn, media served by nginx."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.deployment.conftest import LOAD_BALANCER
from tests.deployment.wire import HOST, Connection, form_body

# gunicorn runs on the test database (tests/deployment/conftest.py): it must be created.
pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
TOO_MANY = "Too many failed login attempts. Try again later."
MEDIA_POLICY = "default-src 'none'; sandbox"


@pytest.fixture
def https(nginx, tls_context):
    """Open a TLS connection to nginx from a loopback address."""

    def connect(source="127.0.0.1"):
        return Connection(nginx["https_port"], source=source, tls_context=tls_context)

    return connect


@pytest.fixture
def http(nginx):
    def connect(source="127.0.0.1"):
        return Connection(nginx["http_port"], source=source)

    return connect


def head_then_get(connect, rounds):
    """`rounds` times HEAD of a page then GET of /healthz on one connection: what each GET got."""
    with connect() as connection:
        answers = []
        for _round in range(rounds):
            head = connection.request("HEAD", "/en/accessibility/")
            assert (head.status, head.body) == (200, b"")
            answers.append(connection.request("GET", "/healthz").body)
        return answers


def test_head_answers_never_reach_another_request(https):
    """Clients at once, HEAD then GET, through nginx's kept-alive connections to gunicorn. When
    gunicorn sent a body on HEAD, nginx could keep the connection with those bytes unread and
    give them to the next request as its answer: a client got a page as an HTTP/0.9 answer to
    GET /healthz, in every run of this test."""
    clients, rounds = 6, 30
    with ThreadPoolExecutor(clients) as pool:
        runs = list(pool.map(lambda _client: head_then_get(https, rounds), range(clients)))

    answers = [answer for run in runs for answer in run]
    assert len(answers) == clients * rounds
    assert set(answers) == {b'{"status": "ok", "database": "ok", "cache": "ok"}'}


@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [
        ("documents/report.pdf", "application/pdf", "attachment"),
        ("pictures/city.webp", "image/webp", None),
        ("pictures/city.jpg", "image/jpeg", None),
        ("pictures/city.png", "image/png", None),
        ("documents/probe.html", "application/octet-stream", "attachment"),
        ("documents/PROBE.HTML", "application/octet-stream", "attachment"),
        ("documents/probe.svg", "application/octet-stream", "attachment"),
        ("documents/probe.js", "application/octet-stream", "attachment"),
        ("documents/probe.pdf.html", "application/octet-stream", "attachment"),
        ("documents/probe", "application/octet-stream", "attachment"),
    ],
)
def test_media_are_never_html_or_script(https, media_dir, name, content_type, disposition):
    stored = media_dir / name
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n")

    with https() as connection:
        answer = connection.request("GET", f"/media/{name}")

    assert answer.status == 200
    assert answer.headers["content-type"] == content_type
    assert answer.headers.get("content-disposition") == disposition
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == MEDIA_POLICY
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert answer.headers["server"] == "nginx"


def test_kept_uploads_are_never_served(https, media_dir):
    kept = media_dir / "kept-uploads" / "someone.webp"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"RIFF....WEBP")

    with https() as connection:
        answers = [
            connection.request("GET", path)
            for path in [
                "/media/kept-uploads/someone.webp",
                "/media//kept-uploads/someone.webp",
                "/media/kept-uploads%2Fsomeone.webp",
                "/media/pictures/../kept-uploads/someone.webp",
            ]
        ]

    assert [answer.status for answer in answers] == [404, 404, 404, 404]
    assert all(b"someone" not in answer.body for answer in answers)


def test_no_server_version_anywhere(https, http):
    with https() as connection:
        proxied = connection.request("GET", "/healthz")
        own_error = connection.request("GET", "/media/no-such-file.pdf")
    with https("127.0.0.2") as connection:
        refused = connection.request("GET", "/healthz")
    with http() as connection:
        redirect = connection.request("GET", "/en/")

    answers = [proxied, own_error, refused, redirect]
    assert [answer.status for answer in answers] == [200, 404, 403, 301]
    assert all(answer.headers["server"] == "nginx" for answer in answers)
    assert all(not re.search(rb"nginx/\d", answer.body) for answer in answers)


@pytest.mark.parametrize(
    ("source", "status"), [("127.0.0.1", 200), (LOAD_BALANCER, 200), ("127.0.0.2", 403)]
)
def test_healthz_only_for_the_load_balancer(https, http, source, status):
    with https(source) as connection:
        over_https = connection.request("GET", "/healthz")
    with http(source) as connection:
        over_http = connection.request("GET", "/healthz")

    assert (over_https.status, over_http.status) == (status, status)
    if status == 200:
        assert over_http.json()["status"] == "ok"


def test_plain_http_goes_to_the_portal_name_whatever_the_host(http):
    with http() as connection:
        answer = connection.request("GET", "/en/cities/", {"Host": "xss.invalid"})

    assert answer.status == 301
    assert answer.headers["location"] == f"https://{HOST}/en/cities/"


def test_bad_host_answer_has_the_security_headers(https):
    with https() as connection:
        answer = connection.request("GET", "/en/", {"Host": "xss.invalid"})

    assert answer.status == 400
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert answer.headers["server"] == "nginx"


@pytest.mark.parametrize(
    "path", ["//xss.invalid/en/", "/%2F%2Fxss.invalid/en/", "/%5Cxss.invalid/"]
)
def test_not_found_page_links_only_to_this_site(https, path):
    with https() as connection:
        answer = connection.request("GET", path)

    assert answer.status == 404
    alternates = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]*)"', answer.text)
    hrefs = re.findall(r'href="([^"]*)"', answer.text)
    assert sorted(alternates) == ["/en/", "/fr/"]
    assert len(hrefs) > len(alternates)
    assert not [href for href in hrefs if "xss.invalid" in href or href.startswith(("//", "/\\"))]


def login_form(connection):
    """The CSRF cookie and token a login needs."""
    page = connection.request("GET", LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookie = next(c.split(";")[0] for c in page.cookies if c.startswith("csrftoken="))
    return cookie, token


def fail_login(connection, form, email, headers=None):
    cookie, token = form
    answer = connection.request(
        "POST",
        LOGIN,
        {
            "Cookie": cookie,
            "Origin": f"https://{HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        },
        form_body({"csrfmiddlewaretoken": token, "login": email, "password": "wrong"}),
    )
    assert answer.status == 200
    return TOO_MANY in answer.text


def test_login_failures_lock_out_their_client_only(https):
    with https("127.0.0.2") as connection:
        form = login_form(connection)
        first_ten = [fail_login(connection, form, f"a{n}@example.org") for n in range(10)]
        eleventh = fail_login(connection, form, "a10@example.org")
    with https("127.0.0.3") as connection:
        other_client = fail_login(connection, login_form(connection), "b@example.org")

    assert first_ten == [False] * 10
    assert eleventh is True
    assert other_client is False


def test_login_spoofed_forwarded_for_moves_no_count(https):
    with https("127.0.0.5") as connection:
        form = login_form(connection)
        spoofed = [
            fail_login(
                connection, form, f"c{n}@example.org", {"X-Forwarded-For": f"198.51.100.{n}"}
            )
            for n in range(10)
        ]
        own_address = fail_login(connection, form, "c10@example.org")
    with https("127.0.0.6") as connection:
        # Claiming to be the locked-out client does not lock this one out.
        claiming = fail_login(
            connection, login_form(connection), "d@example.org", {"X-Forwarded-For": "127.0.0.5"}
        )

    assert spoofed == [False] * 10
    assert own_address is True
    assert claiming is False
