"""The 400 answer to a Host outside ALLOWED_HOSTS carries the security headers of every page.

Django answers it where `request.get_host()` raises, and only the middlewares above that point
see the answer: the header middlewares come first, and the HTTPS redirect never reads the Host.
"""

import pytest

from tests.rvcu.test_security import STRICT_POLICY, parse_policy, run_django

pytestmark = pytest.mark.django_db

BAD_HOST = "xss.invalid"


def assert_security_headers(response):
    assert parse_policy(response["Content-Security-Policy"]) == STRICT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("page_cache_seconds", [0, 600])
@pytest.mark.parametrize("path", ["/en/", "/en/accounts/login/", "/healthz", "/admin/"])
def test_bad_host_answer_has_the_security_headers(client, settings, path, page_cache_seconds):
    settings.RVCU_PAGE_CACHE_SECONDS = page_cache_seconds

    response = client.get(path, HTTP_HOST=BAD_HOST, secure=True)

    assert response.status_code == 400
    assert_security_headers(response)


def test_bad_host_in_production_settings(tmp_path):
    """Plain HTTP goes to the portal's own name; over HTTPS (as nginx says), a 400 with every
    header, HSTS included."""
    printed = run_django(
        """
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        # The 400 page names hashed static files: collected first, as a deployment does.
        call_command("collectstatic", interactive=False, verbosity=0)
        setup_test_environment()
        client = Client()
        plain = client.get("/en/", HTTP_HOST="xss.invalid")
        https = client.get("/en/", HTTP_HOST="xss.invalid", HTTP_X_FORWARDED_PROTO="https")
        print(json.dumps([
            [plain.status_code, plain.get("Location")],
            [https.status_code, dict(https.headers)],
        ]))
        """,
        tmp_path,
        DJANGO_ALLOWED_HOSTS="portal.example.org,.portal.example.org",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    (plain_status, location), (https_status, headers) = printed

    assert (plain_status, location) == (301, "https://portal.example.org/en/")
    assert https_status == 400
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert parse_policy(headers["Content-Security-Policy"]) == STRICT_POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_https_redirect_host_can_be_set(tmp_path):
    printed = run_django(
        "from django.conf import settings\nprint(json.dumps(settings.SECURE_SSL_HOST))",
        tmp_path,
        DJANGO_ALLOWED_HOSTS=".example.org",
        DJANGO_SECURE_SSL_HOST="www.example.org",
    )

    assert printed == "www.example.org"
