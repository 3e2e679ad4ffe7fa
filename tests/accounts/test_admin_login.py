"""The admin logs in through allauth's login page, and so under its rate limits."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"
PORTAL_LOGIN = "/en/accounts/login/?next=%2Fadmin%2F"
TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture
def secretariat_member(db):
    return UserFactory(is_staff=True, is_superuser=True)


def admin_form_post(client, person, password):
    """What the admin's own login form would send."""
    return client.post(ADMIN_LOGIN, {"username": person.email, "password": password})


def test_admin_login_sends_to_the_portal_login(client):
    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 302
    assert response["Location"] == PORTAL_LOGIN


def test_admin_login_form_no_longer_logs_in(client, secretariat_member):
    response = admin_form_post(client, secretariat_member, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == PORTAL_LOGIN
    assert SESSION_KEY not in client.session


def test_portal_login_opens_the_admin(client, secretariat_member):
    response = client.post(PORTAL_LOGIN, {"login": secretariat_member.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_after_the_limit_the_right_password_is_refused(client, secretariat_member):
    # What a guesser would try first: the admin's own form, 30 times.
    for _attempt in range(30):
        assert admin_form_post(client, secretariat_member, "not-the-password").status_code == 302
    login_page = client.get(ADMIN_LOGIN)["Location"]
    for _attempt in range(5):
        client.post(login_page, {"login": secretariat_member.email, "password": "wrong"})

    through_admin = admin_form_post(client, secretariat_member, PASSWORD)
    through_portal = client.post(
        login_page, {"login": secretariat_member.email, "password": PASSWORD}
    )

    assert through_admin.status_code == 302
    assert through_admin["Location"] == PORTAL_LOGIN
    assert through_portal.status_code == 200
    assert TOO_MANY in through_portal.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


def test_logged_in_staff_reaches_the_admin_and_its_login_page_moves_on(client, secretariat_member):
    client.force_login(secretariat_member)

    assert client.get("/admin/").status_code == 200
    response = client.get(ADMIN_LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_coordinator_gets_no_admin(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert client.get(ADMIN_LOGIN).status_code == 403
    assert client.session[SESSION_KEY] == str(coordinator.pk)
