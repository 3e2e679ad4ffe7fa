"""gunicorn.conf.py: sane defaults for the machine, everything overridable from the environment."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
CONF = PROJECT_DIR / "gunicorn.conf.py"
VARIABLES = (
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_LOG_LEVEL",
    "GUNICORN_FORWARDED_ALLOW_IPS",
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_gunicorn_conf_defaults_fit_the_machine(clean_env, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    conf = runpy.run_path(str(CONF))

    assert conf["wsgi_app"] == "rvcu.wsgi:application"
    assert conf["bind"] == "127.0.0.1:8001"
    assert conf["workers"] == 5
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 2
    assert conf["timeout"] == 30
    assert conf["keepalive"] == 5
    assert conf["max_requests"] == 0
    assert conf["max_requests_jitter"] == 0
    assert conf["accesslog"] == "-"
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_gunicorn_conf_reads_the_environment(clean_env):
    clean_env.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    clean_env.setenv("WEB_CONCURRENCY", "3")
    clean_env.setenv("GUNICORN_THREADS", "4")
    clean_env.setenv("GUNICORN_TIMEOUT", "60")
    clean_env.setenv("GUNICORN_KEEPALIVE", "75")
    clean_env.setenv("GUNICORN_MAX_REQUESTS", "500")
    clean_env.setenv("GUNICORN_MAX_REQUESTS_JITTER", "50")
    clean_env.setenv("GUNICORN_FORWARDED_ALLOW_IPS", "10.0.0.10,10.0.0.11")

    conf = runpy.run_path(str(CONF))

    assert conf["bind"] == "0.0.0.0:9000"
    assert conf["workers"] == 3
    assert conf["threads"] == 4
    assert conf["timeout"] == 60
    assert conf["keepalive"] == 75
    assert conf["max_requests"] == 500
    assert conf["max_requests_jitter"] == 50
    assert conf["forwarded_allow_ips"] == "10.0.0.10,10.0.0.11"


def test_gunicorn_takes_every_setting_of_the_file_under_its_own_names():
    """gunicorn ignores a name it does not know: its own printout shows the values it took."""
    env = {
        **{name: value for name, value in os.environ.items() if name not in VARIABLES},
        "WEB_CONCURRENCY": "3",
        "GUNICORN_BIND": "127.0.0.1:8123",
        "GUNICORN_MAX_REQUESTS": "777",
        # --print-config loads the application too: settings that need no environment.
        "DJANGO_SETTINGS_MODULE": "rvcu.settings.test",
    }

    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    printed = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )
    assert printed["config"] == "./gunicorn.conf.py"
    assert printed["wsgi_app"] == "rvcu.wsgi:application"
    assert printed["bind"] == "['127.0.0.1:8123']"
    assert printed["workers"] == "3"
    assert printed["worker_class"] == "gthread"
    assert printed["threads"] == "2"
    assert printed["max_requests"] == "777"
    assert printed["max_requests_jitter"] == "0"
    assert printed["keepalive"] == "5"
    assert printed["accesslog"] == "-"
