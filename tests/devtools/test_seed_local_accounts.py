"""seed_local_accounts: two ready-made logins for local development, never elsewhere."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from devtools.management.commands.seed_local_accounts import (
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    SECRETARIAT_EMAIL,
    SECRETARIAT_PASSWORD,
)

pytestmark = pytest.mark.django_db


def seed():
    output = io.StringIO()
    call_command("seed_local_accounts", stdout=output)
    return output.getvalue()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_with_debug_creates_secretariat_and_coordinator(debug_on, krakow):
    output = seed()

    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    assert secretariat.is_staff and secretariat.is_superuser
    assert secretariat.check_password(SECRETARIAT_PASSWORD)
    assert not coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.check_password(COORDINATOR_PASSWORD)
    assert list(coordinator.coordinated_cities.all()) == [krakow]
    assert list(secretariat.coordinated_cities.all()) == []
    assert f"{SECRETARIAT_EMAIL} / {SECRETARIAT_PASSWORD}" in output
    assert f"coordinator of Kraków: {COORDINATOR_EMAIL} / {COORDINATOR_PASSWORD}" in output


def test_seed_prints_the_login_page_at_the_site_address(debug_on, settings, krakow):
    settings.SITE_URL = "http://127.0.0.1:8080"

    output = seed()

    assert "log in at http://127.0.0.1:8080/en/accounts/login/" in output


def test_seed_accounts_can_log_in(client, debug_on, krakow):
    seed()

    response = client.post(
        "/en/accounts/login/", {"login": COORDINATOR_EMAIL, "password": COORDINATOR_PASSWORD}
    )

    assert response.status_code == 302
    assert 'href="/en/my/cities/krakow/"' in client.get("/en/my/").content.decode()


def test_seed_without_krakow_fails_and_creates_nothing(debug_on):
    with pytest.raises(CommandError, match="load_network"):
        seed()

    assert User.objects.count() == 0


def test_seed_without_debug_creates_nothing_and_says_so(settings, krakow):
    settings.DEBUG = False

    output = seed()

    assert "DEBUG is off: no local account is created." in output
    assert User.objects.count() == 0
    assert krakow.coordinators.count() == 0
    assert SECRETARIAT_PASSWORD not in output


def test_seed_twice_changes_nothing(debug_on, krakow):
    seed()
    before = list(User.objects.order_by("email").values())

    seed()

    assert list(User.objects.order_by("email").values()) == before
    assert User.objects.count() == 2
    assert krakow.coordinators.count() == 1


def test_seed_keeps_a_changed_password(debug_on, krakow):
    seed()
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    coordinator.set_password("my-own-local-password")
    coordinator.save()

    seed()

    coordinator.refresh_from_db()
    assert coordinator.check_password("my-own-local-password")
