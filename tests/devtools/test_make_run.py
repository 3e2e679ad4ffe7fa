"""`make run HOST=...`: the address served, printed and written in e-mails follows HOST."""

import os
import subprocess
import sys

from django.conf import settings


def make_dry_run(*arguments, **environment):
    """What `make run` would run, without running it."""
    env = {key: value for key, value in os.environ.items() if key != "RVCU_SITE_URL"}
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "run", *arguments],
        cwd=settings.BASE_DIR,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_run_serves_and_prints_the_address_of_host():
    lines = make_dry_run("HOST=127.0.0.1:8080")

    assert lines[-1] == ".venv/bin/python manage.py runserver 127.0.0.1:8080"
    assert 'echo "Serving the portal at http://127.0.0.1:8080/"' in lines


def test_make_run_keeps_a_site_url_given():
    lines = make_dry_run("HOST=0.0.0.0:8080", RVCU_SITE_URL="http://laptop.example:8080")

    assert lines[-1] == ".venv/bin/python manage.py runserver 0.0.0.0:8080"
    assert 'echo "Serving the portal at http://laptop.example:8080/"' in lines


def test_make_run_loads_the_demo_after_the_local_accounts():
    lines = make_dry_run()

    commands = [line.removeprefix(".venv/bin/python manage.py ") for line in lines]
    assert commands.index("seed_demo") == commands.index("seed_local_accounts") + 1
    assert commands.index("load_network") < commands.index("seed_local_accounts")
    assert commands[-1] == "runserver 127.0.0.1:8000"


def test_the_site_address_of_links_is_read_from_the_environment():
    """What the Makefile exports reaches the portal's settings: the links in e-mails."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rvcu.settings.local",
            "RVCU_SITE_URL": "http://127.0.0.1:8080/",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == "http://127.0.0.1:8080"
