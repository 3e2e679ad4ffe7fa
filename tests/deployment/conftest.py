"""The portal as deployed: gunicorn (gunicorn.conf.py, production settings) and, in front, Debian's
nginx running the committed deploy/nginx/rvcu.conf, both started by the tests on free loopback
ports and stopped at the end of the session.

gunicorn uses the test database on PostgreSQL (the one pytest-django created), or a SQLite file of
its own (migrated here) when the suite runs on SQLite. Without an nginx binary the tests that need
it are deselected, with a line in the summary; in CI (CI or RVCU_FAIL_ON_SKIP set) the run stops
with an error instead, as a skip would hide them.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

HERE = Path(__file__).resolve().parent
PROJECT_DIR = HERE.parent.parent
NGINX_CONF = PROJECT_DIR / "deploy" / "nginx" / "rvcu.conf"
HOST = "portal.example.org"
# Stands for the load balancer in the rendered configuration (192.0.2.0/24 in the file).
LOAD_BALANCER = "127.0.0.4"
NO_NGINX = "proxy tests not run: no nginx found; install Debian's nginx"
STARTUP_SECONDS = 30


def nginx_path():
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )


def _in_ci():
    return bool(os.environ.get("CI") or os.environ.get("RVCU_FAIL_ON_SKIP"))


def _needs_nginx(item):
    return item.path.resolve().parent == HERE and "nginx" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.resolve().parent == HERE:
            item.add_marker(pytest.mark.proxy)
    nginx_items = [item for item in items if _needs_nginx(item)]
    if nginx_items and nginx_path() is None:
        if _in_ci():
            raise pytest.UsageError(NO_NGINX)
        config.hook.pytest_deselected(items=nginx_items)
        items[:] = [item for item in items if not _needs_nginx(item)]
        config._rvcu_proxy_tests_not_run = len(nginx_items)
    return (yield)


def pytest_terminal_summary(terminalreporter, config):
    not_run = getattr(config, "_rvcu_proxy_tests_not_run", 0)
    if not_run:
        terminalreporter.write_line(f"{NO_NGINX} ({not_run} deselected).", yellow=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, log):
    """Until 127.0.0.1:`port` accepts a connection; fails with the log if the process ends."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"not listening on {port} after {STARTUP_SECONDS} s:\n{log.read_text()}")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _database_url(directory, environment):
    """The test database for PostgreSQL; a migrated SQLite file of gunicorn's own otherwise."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        assert database["NAME"].startswith("test_"), "the test database is not set up"
        credentials = quote(database["USER"] or "", safe="")
        if database["PASSWORD"]:
            credentials += ":" + quote(database["PASSWORD"], safe="")
        return (
            f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    url = f"sqlite:///{directory / 'portal.sqlite3'}"
    manage(["migrate", "--noinput", "-v0"], {**environment, "DATABASE_URL": url})
    return url


def manage(arguments, environment, stdin=None):
    """`manage.py` in a process of its own with `environment`; what it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextlib.contextmanager
def running_gunicorn(environment, directory, port):
    """gunicorn as gunicorn.conf.py starts it with `environment` (its static files collected
    first), serving on `port` until the block ends; its log file."""
    manage(["collectstatic", "--noinput", "-v0"], environment)
    log = directory / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"],
            cwd=PROJECT_DIR,
            env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, log)
        yield log
    finally:
        stop(process)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def gunicorn(tmp_path_factory, django_db_setup, media_dir):
    """gunicorn as gunicorn.conf.py starts it, under the production settings; its port."""
    directory = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_", "RVCU_"))
        and name not in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="rvcu.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_STATIC_ROOT=str(directory / "static"),
        DJANGO_MEDIA_ROOT=str(media_dir),
        DJANGO_EMAIL_URL="consolemail://",
        DJANGO_LOG_LEVEL="WARNING",
        # The documented production value: nginx is the one trusted hop.
        RVCU_TRUSTED_PROXY_COUNT="1",
        # One process: the cache (rate limits, pages) lives in its memory without Redis.
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
        GUNICORN_GRACEFUL_TIMEOUT="5",
        GUNICORN_LOG_LEVEL="warning",
    )
    environment["DATABASE_URL"] = _database_url(directory, environment)
    with running_gunicorn(environment, directory, port) as log:
        yield {"port": port, "static_root": directory / "static", "log": log}


def self_signed_certificate(directory):
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
            "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return directory / "cert.pem", directory / "key.pem"


def render(template, replacements):
    """The committed configuration with each example value replaced; each must be in the file,
    so that a change to the file cannot silently leave the test running something else."""
    for example, value in replacements.items():
        assert example in template, f"{example!r} no longer in {NGINX_CONF}"
        template = template.replace(example, value)
    return template


@pytest.fixture(scope="session")
def nginx(tmp_path_factory, gunicorn, media_dir):
    """Debian's nginx running deploy/nginx/rvcu.conf; its HTTP and HTTPS ports."""
    directory = tmp_path_factory.mktemp("nginx")
    http_port, https_port = free_port(), free_port()
    certificate, key = self_signed_certificate(directory)
    site = render(
        NGINX_CONF.read_text(),
        {
            "listen [::]:80;\n": "",
            "listen [::]:443 ssl http2;\n": "",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "server 127.0.0.1:8001;": f"server 127.0.0.1:{gunicorn['port']};",
            "/srv/rvcu/media/": f"{media_dir}/",
            f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(certificate),
            f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
            "192.0.2.0/24": LOAD_BALANCER,
        },
    )
    (directory / "rvcu.conf").write_text(site)
    temporary = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # What Debian's /etc/nginx/nginx.conf gives a site: its MIME types (text/html for .html...),
    # which the media location must override.
    (directory / "nginx.conf").write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {directory / "access.log"};
{temporary}
    include {directory / "rvcu.conf"};
}}
"""
    )
    log = directory / "error.log"
    with log.open("a") as output:
        process = subprocess.Popen(
            [
                nginx_path(), "-p", str(directory), "-c", str(directory / "nginx.conf"),
                "-e", str(log), "-g", "daemon off;",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_port(https_port, process, log)
        wait_for_port(http_port, process, log)
        yield {"http_port": http_port, "https_port": https_port, "log": log}
    finally:
        stop(process)


@pytest.fixture(scope="session")
def tls_context():
    """The test's certificate is self-signed: what is tested is nginx's answer, not the chain."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
