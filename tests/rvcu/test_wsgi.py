"""The WSGI application answers HEAD with the headers of GET and no body (gunicorn sends whatever
the application returns; tests/deployment checks the bytes gunicorn puts on the wire)."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory

from rvcu.wsgi import HeadWithoutBody, application

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection():
    """The real handler closes the database connection at the end of a request, which would end
    the test's transaction (Django's test client disconnects the same receiver)."""
    request_finished.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)


def call(method, path, **extra):
    environ = RequestFactory().generic(method, path, **extra).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = dict(headers)

    body = application(environ, start_response)
    try:
        answer["body"] = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return answer


@pytest.mark.parametrize("path", ["/en/", "/en/accounts/login/", "/healthz", "/en/no-such-page/"])
def test_head_answer_has_get_headers_and_no_body(keep_test_connection, path):
    get = call("GET", path)
    head = call("HEAD", path)

    assert get["body"]
    assert head["body"] == b""
    assert head["status"] == get["status"]
    assert head["headers"]["Content-Length"] == str(len(get["body"]))
    assert head["headers"]["Content-Type"] == get["headers"]["Content-Type"]


def test_head_answer_from_the_page_cache_has_no_body(keep_test_connection, settings):
    settings.RVCU_PAGE_CACHE_SECONDS = 600
    first = call("HEAD", "/en/accessibility/")
    cached = call("HEAD", "/en/accessibility/")

    assert first["status"].startswith("200")
    assert (first["body"], cached["body"]) == (b"", b"")
    assert int(cached["headers"]["Content-Length"]) > 0


class Stream:
    """A streamed body (a file) that records whether it was read and closed."""

    def __init__(self):
        self.read = False
        self.closed = False

    def __iter__(self):
        self.read = True
        yield b"%PDF-1.7 ..."

    def close(self):
        self.closed = True


def streaming_app(stream):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "12")])
        return stream

    return app


def test_head_streamed_body_is_closed_unread():
    stream = Stream()

    body = HeadWithoutBody(streaming_app(stream))({"REQUEST_METHOD": "HEAD"}, lambda *a: None)

    assert list(body) == []
    assert stream.closed
    assert not stream.read


def test_get_streamed_body_is_passed_on():
    stream = Stream()

    body = HeadWithoutBody(streaming_app(stream))({"REQUEST_METHOD": "GET"}, lambda *a: None)

    assert body is stream
    assert not stream.closed
