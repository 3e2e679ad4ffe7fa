"""Security headers, the Content-Security-Policy, cookies and the cache, in tests and in
production settings (the latter in a subprocess, as production refuses to start half-configured).
"""

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_DIR / "templates"
STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def parse_policy(header):
    """{"default-src": "'self'", ...} from a Content-Security-Policy header."""
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: sources for name, sources in directives}


def run_django(code, tmp_path, **environment):
    """Run `code` under the production settings in a fresh interpreter; return what it prints as
    JSON. The environment holds no DJANGO_* variable but those given (and a SQLite database)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="rvcu.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    env.update(environment)
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def home_page(client, db):
    return client.get("/en/")


def test_public_page_has_the_strict_content_security_policy(home_page):
    policy = parse_policy(home_page["Content-Security-Policy"])

    assert policy == STRICT_POLICY


def test_public_page_allows_no_inline_script_or_style(home_page):
    header = home_page["Content-Security-Policy"]

    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "data:" not in header


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_public_page_has_security_header(home_page, header, value):
    assert home_page[header] == value


def test_error_page_has_the_content_security_policy_too(client, db):
    response = client.get("/en/cities/no-such-city/")

    assert response.status_code == 404
    assert parse_policy(response["Content-Security-Policy"]) == STRICT_POLICY


def test_admin_login_has_the_content_security_policy(client, db):
    response = client.get("/admin/login/")

    assert parse_policy(response["Content-Security-Policy"]) == STRICT_POLICY


# An inline <script> (one without src), a style attribute or <style> element, an event handler
# attribute or a javascript: URL would all be blocked by the policy.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style\b|\son[a-z]+=|javascript:", re.IGNORECASE
)


def test_templates_have_no_inline_script_or_style():
    offenders = [
        f"{path.relative_to(PROJECT_DIR)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE_CODE.search(line)
    ]

    assert offenders == []


@pytest.mark.parametrize(
    "line",
    [
        '<script>alert("x")</script>',
        '<div style="color: red">',
        "<style>p { color: red }</style>",
        '<button onclick="go()">',
        '<a href="javascript:void(0)">',
    ],
)
def test_inline_code_pattern_finds_what_the_policy_blocks(line):
    assert INLINE_CODE.search(line)


@pytest.mark.parametrize(
    "line",
    [
        '<script src="/static/js/map.js" defer></script>',
        '<circle fill="#1a5f7a" r="3"/>',
        '<link rel="stylesheet" href="/static/css/main.css">',
    ],
)
def test_inline_code_pattern_lets_files_and_svg_attributes_through(line):
    assert not INLINE_CODE.search(line)


def test_test_settings_cache_in_memory():
    assert settings.CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


CACHES_AND_POLICY = """
    from django.conf import settings
    print(json.dumps({
        "cache": settings.CACHES["default"],
        "policy": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    }))
"""


def test_cache_is_redis_when_redis_url_is_set(tmp_path):
    found = run_django(CACHES_AND_POLICY, tmp_path, REDIS_URL="redis://127.0.0.1:6379/1")

    assert found["cache"]["BACKEND"] == "rvcu.cache.RedisCache"
    assert found["cache"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert found["cache"]["KEY_PREFIX"] == "rvcu"
    assert found["cache"]["OPTIONS"]["socket_timeout"] == 1


def test_cache_is_in_memory_without_redis_url(tmp_path):
    found = run_django(CACHES_AND_POLICY, tmp_path)

    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["cache"]["KEY_PREFIX"] == "rvcu"


def test_policy_allows_static_files_and_uploaded_images_from_their_own_hosts(tmp_path):
    found = run_django(
        CACHES_AND_POLICY,
        tmp_path,
        DJANGO_STATIC_URL="https://static.example-cdn.org/rvcu/",
        DJANGO_MEDIA_URL="https://media.example-storage.org/rvcu-media/",
    )

    static = ["'self'", "https://static.example-cdn.org"]
    assert found["policy"]["script-src"] == static
    assert found["policy"]["style-src"] == static
    assert found["policy"]["font-src"] == static
    assert found["policy"]["img-src"] == [*static, "https://media.example-storage.org"]
    assert found["policy"]["default-src"] == ["'self'"]
    assert found["policy"]["form-action"] == ["'self'"]


PRODUCTION_REQUESTS = """
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    # Pages name their hashed static files: production needs them collected, as a deployment
    # does (a fresh clone has none).
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="portal.example.org")
    plain_page = client.get("/en/accounts/login/")
    plain_health = client.get("/healthz")
    secure_page = client.get("/en/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    csrf_cookie = secure_page.cookies[settings.CSRF_COOKIE_NAME]
    print(json.dumps({
        "plain_page": [plain_page.status_code, plain_page.get("Location")],
        "plain_health": [plain_health.status_code, plain_health.json()],
        "secure_page": secure_page.status_code,
        "hsts": secure_page.get("Strict-Transport-Security"),
        "policy": secure_page.get("Content-Security-Policy"),
        "csrf_cookie": {"secure": csrf_cookie["secure"], "httponly": csrf_cookie["httponly"]},
        "cookies_secure": [
            settings.SESSION_COOKIE_SECURE,
            settings.CSRF_COOKIE_SECURE,
            settings.LANGUAGE_COOKIE_SECURE,
        ],
        "cookies_httponly": [
            settings.SESSION_COOKIE_HTTPONLY,
            settings.CSRF_COOKIE_HTTPONLY,
            settings.LANGUAGE_COOKIE_HTTPONLY,
        ],
    }))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """What the production settings answer over plain HTTP and behind the TLS proxy."""
    folder = tmp_path_factory.mktemp("production")
    return run_django(PRODUCTION_REQUESTS, folder, DJANGO_STATIC_ROOT=str(folder / "static"))


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_page"] == [301, "https://portal.example.org/en/accounts/login/"]


def test_production_health_check_answers_over_plain_http(production):
    assert production["plain_health"] == [
        200,
        {"status": "ok", "database": "ok", "cache": "ok"},
    ]


def test_production_sends_hsts_behind_the_tls_proxy(production):
    assert production["secure_page"] == 200
    assert production["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert parse_policy(production["policy"]) == STRICT_POLICY


def test_production_cookies_are_secure_and_http_only(production):
    assert production["csrf_cookie"] == {"secure": True, "httponly": True}
    assert production["cookies_secure"] == [True, True, True]
    assert production["cookies_httponly"] == [True, True, True]


def test_production_passes_the_deployment_checks(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="rvcu.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
