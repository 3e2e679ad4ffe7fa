"""Inviting a city coordinator: the service, the e-mail and its link, the admin view and action."""

import re
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from accounts.models import User
from cities.services import coordinator_invite
from tests.factories import PASSWORD, CityFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet-42"
SET_PASSWORD_PATH = "/accounts/password/reset/key/"


@pytest.fixture
def dakar():
    return CityFactory(name="Dakar", country="SN", field_slug="media-arts", designation_year=2014)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """coordinator_invite, with its after-commit e-mail sent."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return coordinator_invite(**kwargs)

    return run


def link_in(message):
    """The one link of an invitation e-mail."""
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1, links
    return links[0]


def invite_url(city):
    return reverse("admin:cities_city_invite", args=[city.pk])


def test_invite_new_person_creates_user_without_usable_password(invite, krakow):
    user, created = invite(
        city=krakow, email="ola@krakow.example", first_name="Ola", last_name="Nowak"
    )

    user.refresh_from_db()
    assert created is True
    assert user.email == "ola@krakow.example"
    assert (user.first_name, user.last_name, user.language) == ("Ola", "Nowak", "en")
    assert not user.has_usable_password()
    assert not user.is_staff
    assert list(krakow.coordinators.all()) == [user]
    assert list(user.coordinated_cities.all()) == [krakow]


def test_invite_sends_one_email_with_absolute_set_password_link(invite, krakow):
    invite(city=krakow, email="ola@krakow.example")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = link_in(message)
    assert message.to == ["ola@krakow.example"]
    assert message.subject == "[RVCU] You coordinate Kraków on the Creative Cities portal"
    assert "Choose your password by following this link" in message.body
    assert "Your login is your e-mail address: ola@krakow.example" in message.body
    assert link.startswith(f"{settings.SITE_URL}/en/")
    assert SET_PASSWORD_PATH in link


def test_invite_sends_nothing_before_commit(django_capture_on_commit_callbacks, krakow):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        coordinator_invite(city=krakow, email="ola@krakow.example")

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_invitation_link_lets_the_person_choose_a_password_and_log_in(client, invite, krakow):
    user, _created = invite(city=krakow, email="ola@krakow.example")
    path = urlsplit(link_in(mail.outbox[0])).path

    form_page = client.get(path, follow=True)
    set_password_path = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    content = form_page.content.decode()
    assert form_page.status_code == 200
    assert set_password_path.startswith("/en/accounts/password/reset/key/")
    assert set_password_path.endswith("-set-password/")
    assert 'name="password1"' in content
    assert 'name="password2"' in content
    assert "Bad Token" not in content
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    login = client.post(
        "/en/accounts/login/", {"login": "ola@krakow.example", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    dashboard = client.get("/en/my/").content.decode()
    assert 'href="/en/my/cities/krakow/"' in dashboard


def test_invitation_link_works_once(client, invite, krakow):
    invite(city=krakow, email="ola@krakow.example")
    path = urlsplit(link_in(mail.outbox[0])).path
    first = client.get(path, follow=True)
    client.post(first.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    again = client.get(path, follow=True)

    content = again.content.decode()
    assert "Bad Token" in content
    assert 'name="password1"' not in content


def test_invitation_link_refuses_weak_password(client, invite, krakow):
    user, _created = invite(city=krakow, email="ola@krakow.example")
    form_page = client.get(urlsplit(link_in(mail.outbox[0])).path, follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": "password", "password2": "password"}
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_invite_in_french_sends_french_email_with_french_link(invite, krakow):
    user, _created = invite(city=krakow, email="zofia@krakow.example", language="fr")

    message = mail.outbox[0]
    link = link_in(message)
    assert user.language == "fr"
    assert message.subject == ("[RVCU] Vous coordonnez Kraków sur le portail des villes créatives")
    assert message.body.startswith("Bonjour,")
    assert "Choisissez votre mot de passe" in message.body
    assert "Choose your password" not in message.body
    assert link.startswith(f"{settings.SITE_URL}/fr/")
    assert SET_PASSWORD_PATH in link


def test_invite_existing_user_other_case_is_reused_and_linked(invite, krakow, dakar):
    existing = UserFactory(email="ada@example.org", first_name="Ada")
    krakow.coordinators.add(existing)
    password_hash = existing.password

    user, created = invite(
        city=dakar, email="ADA@Example.ORG", first_name="Someone", last_name="Else", language="fr"
    )

    existing.refresh_from_db()
    assert created is False
    assert user.pk == existing.pk
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1
    assert set(existing.coordinated_cities.all()) == {krakow, dakar}
    assert existing.password == password_hash
    assert (existing.email, existing.first_name, existing.language) == (
        "ada@example.org",
        "Ada",
        "en",
    )


def test_invite_existing_user_with_password_gets_login_link(invite, dakar):
    UserFactory(email="ada@example.org")

    invite(city=dakar, email="Ada@example.org")

    message = mail.outbox[0]
    link = link_in(message)
    assert message.to == ["ada@example.org"]
    assert "Log in with your usual password here:" in message.body
    assert link == f"{settings.SITE_URL}/en/accounts/login/"
    assert SET_PASSWORD_PATH not in message.body


def test_invite_existing_user_without_password_gets_set_password_link(invite, krakow, dakar):
    invite(city=krakow, email="ola@krakow.example")
    mail.outbox.clear()

    user, created = invite(city=dakar, email="ola@krakow.example")

    assert created is False
    assert set(user.coordinated_cities.all()) == {krakow, dakar}
    assert len(mail.outbox) == 1
    assert SET_PASSWORD_PATH in link_in(mail.outbox[0])


def test_invite_same_city_twice_links_once(invite, krakow):
    invite(city=krakow, email="ola@krakow.example")

    invite(city=krakow, email="ola@krakow.example")

    assert krakow.coordinators.count() == 1
    assert User.objects.count() == 1


# The admin: the invitation view, the action of the city list, the link on the change page.


def test_admin_invite_anonymous_redirects_to_login(client, krakow):
    url = invite_url(krakow)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={quote(url)}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_invite_refuses_user_without_staff_status(client, user, krakow, method):
    client.force_login(user)

    response = getattr(client, method)(invite_url(krakow), {"email": "x@example.org"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not User.objects.filter(email="x@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_invite_refuses_staff_without_change_permission(client, krakow, method):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_city"))
    client.force_login(clerk)

    response = getattr(client, method)(
        invite_url(krakow), {"email": "x@example.org", "language": "en"}
    )

    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()
    assert mail.outbox == []


def test_admin_invite_shows_form_to_superuser(client, staff_user, krakow, coordinator):
    client.force_login(staff_user)

    response = client.get(invite_url(krakow))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Invite a coordinator for Kraków" in content
    for name in ("email", "first_name", "last_name", "language"):
        assert f'name="{name}"' in content
    assert f"Current coordinators: {coordinator.email}" in content


def test_admin_invite_post_invites_and_says_so(
    client, staff_user, krakow, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(krakow),
            {
                "email": "ola@krakow.example",
                "first_name": "Ola",
                "last_name": "Nowak",
                "language": "fr",
            },
            follow=True,
        )

    user = User.objects.get(email="ola@krakow.example")
    assert response.redirect_chain == [(reverse("admin:cities_city_change", args=[krakow.pk]), 302)]
    assert (
        '<li class="info">Invitation sent: ola@krakow.example is now a coordinator of '
        "Kraków.</li>" in response.content.decode()
    )
    assert (user.first_name, user.last_name, user.language) == ("Ola", "Nowak", "fr")
    assert list(krakow.coordinators.all()) == [user]
    assert [message.to for message in mail.outbox] == [["ola@krakow.example"]]
    assert "/fr/accounts/password/reset/key/" in mail.outbox[0].body


def test_admin_invite_post_existing_user_says_so(
    client, staff_user, krakow, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="ada@example.org")
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(krakow), {"email": "ADA@example.org", "language": "en"}, follow=True
        )

    assert (
        '<li class="info">Existing account: ada@example.org now coordinates Kraków too; '
        "an e-mail says so.</li>" in response.content.decode()
    )
    assert list(krakow.coordinators.all()) == [existing]
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "language": "en"},
        {"email": "", "language": "en"},
        {"email": "ola@krakow.example", "language": "de"},
    ],
    ids=["bad-email", "no-email", "unknown-language"],
)
def test_admin_invite_invalid_form_shows_error_and_creates_nothing(
    client, staff_user, krakow, data, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(invite_url(krakow), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist' in content
    assert f'value="{data["email"]}"' in content or not data["email"]
    assert User.objects.count() == 1
    assert krakow.coordinators.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_admin_invite_unknown_city_is_404(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("admin:cities_city_invite", args=[999999]))

    assert response.status_code == 404


def test_admin_change_page_links_to_invitation(client, staff_user, krakow):
    client.force_login(staff_user)

    response = client.get(reverse("admin:cities_city_change", args=[krakow.pk]))

    assert f'href="{invite_url(krakow)}"' in response.content.decode()


def run_action(client, cities):
    return client.post(
        reverse("admin:cities_city_changelist"),
        {
            "action": "invite_coordinator",
            "_selected_action": [city.pk for city in cities],
            "index": 0,
        },
    )


def test_admin_action_with_one_city_redirects_to_invitation(client, staff_user, krakow, dakar):
    client.force_login(staff_user)

    response = run_action(client, [dakar])

    assert response.status_code == 302
    assert response["Location"] == invite_url(dakar)


def test_admin_action_with_two_cities_shows_error(client, staff_user, krakow, dakar):
    client.force_login(staff_user)

    response = run_action(client, [krakow, dakar])
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:cities_city_changelist")
    assert '<li class="error">Select exactly one city to invite a coordinator.</li>' in (
        page.content.decode()
    )


def test_admin_action_is_offered_on_city_list(client, staff_user, krakow):
    client.force_login(staff_user)

    response = client.get(reverse("admin:cities_city_changelist"))

    assert '<option value="invite_coordinator">' in response.content.decode()


def test_admin_invite_with_password_owner_still_logs_in(client, invite, krakow):
    """Inviting someone who has an account does not lock them out."""
    person = UserFactory(email="ada@example.org")

    invite(city=krakow, email="ada@example.org")

    response = client.post("/en/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)
