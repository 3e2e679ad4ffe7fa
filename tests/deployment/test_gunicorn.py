"""gunicorn as deployed (gunicorn.conf.py, production settings), spoken to directly."""

import json

import pytest

from tests.deployment.wire import Connection

# gunicorn runs on the test database (tests/deployment/conftest.py): it must be created.
pytestmark = pytest.mark.django_db

# What nginx tells gunicorn for a request that came over HTTPS.
HTTPS = {"X-Forwarded-Proto": "https"}


def hashed_static_path(static_root, name):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return f"/static/{manifest['paths'][name]}"


def test_head_answers_carry_no_body_on_a_kept_alive_connection(gunicorn):
    """Every HEAD answer ends with its headers: the next bytes on the wire are the next answer's.
    (Before, gunicorn sent the page after the headers, which a proxy reusing the connection
    handed to the next visitor.)"""
    paths = [
        ("/en/", 200),
        ("/en/", 200),  # from the page cache
        ("/en/accessibility/", 200),
        ("/en/accounts/login/", 200),
        ("/healthz", 200),
        ("/en/no-such-page/", 404),
        (hashed_static_path(gunicorn["static_root"], "css/main.css"), 200),
    ]
    with Connection(gunicorn["port"]) as connection:
        heads = []
        for path, status in paths:
            answer = connection.request("HEAD", path, HTTPS)
            heads.append((path, answer.status, answer.headers.get("content-length")))
            assert answer.status == status, path
            assert connection.leftover() == b"", f"bytes after the HEAD answer for {path}"
        health = connection.request("GET", "/healthz", HTTPS)
        after_get = connection.leftover()

    assert len(heads) == len(paths)
    assert all(int(length) > 0 for _path, _status, length in heads), heads
    assert health.status == 200
    assert health.json()["status"] == "ok"
    assert int(dict((path, length) for path, _s, length in heads)["/healthz"]) == len(health.body)
    assert after_get == b""


def test_gunicorn_names_no_version(gunicorn):
    with Connection(gunicorn["port"]) as connection:
        answer = connection.request("GET", "/healthz", HTTPS)

    assert answer.status == 200
    assert answer.headers["server"] == "gunicorn"
