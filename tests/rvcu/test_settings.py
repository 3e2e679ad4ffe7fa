"""Production settings: refuse to start half-configured; pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
GOOD_SECRET_KEY = secrets.token_urlsafe(45)  # 60 characters


def production_env(**values):
    """The current environment without any DJANGO_* variable, with `values` on top."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "rvcu.settings.production"
    env.update(values)
    return env


def manage(*arguments, env):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_60_characters():
    assert len(GOOD_SECRET_KEY) == 60


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "portal.example.org"}, "Set DJANGO_SECRET_KEY"),
        (
            {"DJANGO_ALLOWED_HOSTS": "portal.example.org", "DJANGO_SECRET_KEY": ""},
            "Set DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": GOOD_SECRET_KEY}, "Set DJANGO_ALLOWED_HOSTS"),
        (
            {"DJANGO_SECRET_KEY": GOOD_SECRET_KEY, "DJANGO_ALLOWED_HOSTS": ""},
            "Set DJANGO_ALLOWED_HOSTS",
        ),
    ],
    ids=["no-secret-key", "empty-secret-key", "no-allowed-hosts", "empty-allowed-hosts"],
)
def test_production_settings_refuse_to_start_half_configured(values, message):
    result = manage("check", env=production_env(**values))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_pass_deploy_checks():
    env = production_env(
        DJANGO_SECRET_KEY=GOOD_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.org,www.portal.example.org",
    )

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    assert "System check identified no issues" in result.stdout


def test_production_settings_debug_is_off_whatever_the_environment():
    env = production_env(
        DJANGO_SECRET_KEY=GOOD_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_DEBUG="true",
    )

    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env=env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
