"""Logging in and out, passwords, the closed sign-up: django-allauth as the portal sets it up."""

import pytest
from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.utils.html import escape

from accounts.models import User
from core.models import OutgoingMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
LOGOUT = "/en/accounts/logout/"
RESET = "/en/accounts/password/reset/"
RESET_DONE = "/en/accounts/password/reset/done/"
CHANGE = "/en/accounts/password/change/"
SIGNUP = "/en/accounts/signup/"
DASHBOARD = "/en/my/"
WRONG_LOGIN = "The email address and/or password you specified are not correct."
NEW_PASSWORD = "lantern-orchard-velvet-42"


def log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_with_email_and_password_opens_dashboard(client, user):
    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.session[SESSION_KEY] == str(user.pk)
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == 200
    assert f"You are logged in as {user.email}." in dashboard.content.decode()


def test_login_email_is_case_insensitive(client):
    person = UserFactory(email="ada@example.org")

    response = log_in(client, "ADA@Example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)


def test_login_follows_next_parameter(client, user):
    response = client.post(f"{LOGIN}?next=/en/cities/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/en/cities/"


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.org", "not-the-password"), ("nobody@example.org", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_login_wrong_credentials_shows_error_and_keeps_email(client, email, password):
    UserFactory(email="ada@example.org")

    response = log_in(client, email, password)

    content = response.content.decode()
    assert response.status_code == 200
    assert escape(WRONG_LOGIN) in content
    assert f'value="{email}"' in content
    assert f'value="{password}"' not in content
    assert SESSION_KEY not in client.session


def test_login_inactive_user_is_refused(client):
    person = UserFactory(is_active=False)

    response = log_in(client, person.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/inactive/"
    assert SESSION_KEY not in client.session


def test_login_page_has_no_signup_invitation(client):
    response = client.get(LOGIN)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Accounts are created by the secretariat" in content
    assert SIGNUP not in content
    assert "sign up" not in content.lower()
    assert 'name="login"' in content
    assert 'name="password"' in content


def test_logout_by_post_ends_session(client, user):
    client.force_login(user)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert SESSION_KEY not in client.session
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)


def test_logout_by_get_only_asks_for_confirmation(client, user):
    client.force_login(user)

    response = client.get(LOGOUT)

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert client.session[SESSION_KEY] == str(user.pk)


def test_password_reset_known_address_sends_email(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == RESET_DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("[RVCU] ")
    assert "/en/accounts/password/reset/key/" in message.body


def test_password_reset_unknown_address_says_the_same_without_sending(
    client, user, django_capture_on_commit_callbacks
):
    # Fails while ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS keeps allauth's default (True): the portal
    # then mails any address typed here an "Unknown Account" message inviting to sign up.
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": user.email})
    assert len(mail.outbox) == 1
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == known["Location"] == RESET_DONE
    assert mail.outbox == []
    assert not OutgoingMessage.objects.filter(recipient="nobody@example.org").exists()


def test_password_change_saves_new_password(client, user):
    client.force_login(user)

    response = client.post(
        CHANGE, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_password_change_refuses_wrong_current_password(client, user):
    client.force_login(user)

    response = client.post(
        CHANGE, {"oldpassword": "guess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("kq7zwr", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("73829104561", "This password is entirely numeric."),
    ],
    ids=["too-short", "common", "numeric"],
)
def test_password_change_refuses_weak_password(client, user, new_password, message):
    client.force_login(user)

    response = client.post(
        CHANGE, {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password}
    )

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_anonymous_redirects_to_login(client):
    response = client.get(CHANGE)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_signup_get_shows_closed_page(client):
    response = client.get(SIGNUP)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Sign Up Closed" in content
    assert 'name="password1"' not in content


def test_signup_post_creates_no_user(client):
    response = client.post(
        SIGNUP,
        {"email": "intruder@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="intruder@example.org").exists()
    assert SESSION_KEY not in client.session
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/fr/accounts/login/", ["Connexion", 'lang="fr"']),
        ("/fr/accounts/password/reset/", ["Mot de passe", 'lang="fr"']),
        ("/fr/accounts/signup/", ["Inscriptions fermées", 'lang="fr"']),
    ],
    ids=["login", "reset", "signup"],
)
def test_account_page_in_french(client, url, texts):
    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in content
    assert "Log in" not in content
    assert "Password Reset" not in content


def test_login_wrong_password_in_french_shows_french_error(client, user):
    response = client.post("/fr/accounts/login/", {"login": user.email, "password": "nope"})

    assert response.status_code == 200
    assert escape(WRONG_LOGIN) not in response.content.decode()
    assert "incorrect" in response.content.decode()


def test_login_rate_limits_stay_on():
    assert getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False
    limits = allauth_settings.RATE_LIMITS

    assert limits
    assert limits.get("login_failed")


def test_login_repeated_failures_block_even_the_right_password(client, user):
    for _attempt in range(5):
        log_in(client, user.email, "not-the-password")

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert SESSION_KEY not in client.session
