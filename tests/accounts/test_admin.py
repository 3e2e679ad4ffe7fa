"""Accounts in the admin and the secretariat's roles: only superusers change what makes an
account powerful (staff and superuser status, groups, permissions, e-mail address, password),
or change and delete a staff account; a network manager manages the coordinators' accounts; a
reviewer reviews and publishes but manages no account."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.core import checks

from accounts.models import User
from cities.models import City
from practices.models import PracticeRevision
from rvcu.admin import ReviewAdminMixin
from rvcu.review import ReviewState
from tests.factories import PASSWORD, UserFactory, with_permissions
from tests.practices.factories import submitted_practice

pytestmark = pytest.mark.django_db

REVIEWER = "Secretariat reviewer"
NETWORK_MANAGER = "Network manager"
NEW_PASSWORD = "lantern-orchard-velvet-42"
USERS = "/admin/accounts/user/"
ROLES = ["anonymous", "coordinator", "plain-staff", "reviewer", "network-manager", "superuser"]
STAFF_ROLES = ["plain-staff", "reviewer", "network-manager"]


def in_group(person, name):
    person.groups.add(Group.objects.get(name=name))
    return person


@pytest.fixture
def people(coordinator):
    """One person per rung of the ladder."""
    return {
        "anonymous": None,
        "coordinator": coordinator,
        "plain-staff": UserFactory(is_staff=True, email="clerk@unesco.example"),
        "reviewer": in_group(UserFactory(is_staff=True, email="rita@unesco.example"), REVIEWER),
        "network-manager": in_group(
            UserFactory(is_staff=True, email="noel@unesco.example"), NETWORK_MANAGER
        ),
        "superuser": UserFactory(is_staff=True, is_superuser=True, email="sam@unesco.example"),
    }


@pytest.fixture
def log_in(client, people):
    def log_in(role):
        if people[role] is not None:
            client.force_login(people[role])
        return people[role]

    return log_in


@pytest.fixture
def targets(coordinator):
    """The accounts someone might try to take over."""
    return {
        "superuser": UserFactory(is_staff=True, is_superuser=True, email="root@unesco.example"),
        "staff": UserFactory(is_staff=True, email="colleague@unesco.example"),
        "coordinator": coordinator,
    }


def change_url(person):
    return f"{USERS}{person.pk}/change/"


def password_url(person):
    return f"{USERS}{person.pk}/password/"


def change_form_data(person, **changes):
    """What the change form sends for `person`, with `changes`."""
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "is_active": "on",
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def refused(response, role):
    """Non-staff are sent to the admin login; staff get 403."""
    if role in ("anonymous", "coordinator"):
        return response.status_code == 302 and response["Location"].startswith("/admin/login/")
    return response.status_code == 403


# Setting a password: the takeover the probe found


@pytest.mark.parametrize("target", ["superuser", "staff", "coordinator"])
@pytest.mark.parametrize("role", ["anonymous", "coordinator", *STAFF_ROLES])
def test_only_superusers_set_a_password(log_in, client, targets, role, target):
    log_in(role)
    account = targets[target]

    response = client.post(
        password_url(account), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert refused(response, role)
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    assert not account.check_password(NEW_PASSWORD)


def test_network_manager_takeover_of_the_superuser_fails_end_to_end(log_in, client, targets):
    log_in("network-manager")
    root = targets["superuser"]

    client.post(password_url(root), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    login = client.post("/en/accounts/login/", {"login": root.email, "password": NEW_PASSWORD})

    assert login.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", ["superuser", "staff", "coordinator"])
def test_superuser_sets_a_password(log_in, client, targets, target):
    log_in("superuser")
    account = targets[target]

    response = client.post(
        password_url(account), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_change_form_offers_no_password_link_to_a_network_manager(log_in, client, targets):
    log_in("network-manager")

    content = client.get(change_url(targets["coordinator"])).content.decode()

    assert "../password/" not in content
    assert "Reset password" not in content


# The change form


@pytest.mark.parametrize("target", ["superuser", "staff"])
def test_network_manager_cannot_change_a_staff_account(log_in, client, targets, target):
    log_in("network-manager")
    account = targets[target]

    page = client.get(change_url(account))
    response = client.post(
        change_url(account), change_form_data(account, first_name="Mallory", is_active=None)
    )

    assert page.status_code == 200  # read only: "change user" implies "view user"
    assert 'name="first_name"' not in page.content.decode()
    assert response.status_code == 403
    account.refresh_from_db()
    assert (account.first_name, account.is_active) == ("Ada", True)


def test_network_manager_edits_a_coordinator_but_not_their_powers(log_in, client, targets, people):
    log_in("network-manager")
    account = targets["coordinator"]
    reviewers = Group.objects.get(name=REVIEWER)
    anything = Permission.objects.get(codename="act_for_every_city")

    response = client.post(
        change_url(account),
        change_form_data(
            account,
            first_name="Agnieszka",
            email="mallory@example.org",
            is_staff="on",
            is_superuser="on",
            groups=[reviewers.pk],
            user_permissions=[anything.pk],
        ),
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.first_name == "Agnieszka"
    assert account.email == "coordinator@krakow.example"
    assert (account.is_staff, account.is_superuser) == (False, False)
    assert list(account.groups.all()) == []
    assert list(account.user_permissions.all()) == []


def test_network_manager_sees_the_powers_read_only(log_in, client, targets):
    log_in("network-manager")

    content = client.get(change_url(targets["coordinator"])).content.decode()

    for field in ("first_name", "last_name", "is_active"):
        assert f'name="{field}"' in content
    for field in ("email", "is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in content


def test_network_manager_deactivates_a_coordinator(log_in, client, targets):
    log_in("network-manager")
    account = targets["coordinator"]

    response = client.post(change_url(account), change_form_data(account, is_active=None))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_active is False


def test_superuser_gives_staff_status_and_a_group(log_in, client, targets):
    log_in("superuser")
    account = targets["coordinator"]
    reviewers = Group.objects.get(name=REVIEWER)

    response = client.post(
        change_url(account),
        change_form_data(account, is_staff="on", groups=[reviewers.pk]),
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_staff is True
    assert list(account.groups.all()) == [reviewers]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("coordinator", 302),
        ("plain-staff", 403),
        ("reviewer", 403),
        ("network-manager", 200),
        ("superuser", 200),
    ],
)
def test_coordinator_account_page_by_role(log_in, client, targets, role, status):
    log_in(role)

    response = client.get(change_url(targets["coordinator"]))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")
    assert (targets["coordinator"].email in response.content.decode()) is (status == 200)


# Deleting


@pytest.fixture
def manager_who_deletes(people):
    """A network manager also given "delete user": still not a staff account."""
    return with_permissions(people["network-manager"], "accounts.delete_user")


@pytest.mark.parametrize("target", ["superuser", "staff"])
def test_staff_account_cannot_be_deleted_by_a_non_superuser(
    client, targets, manager_who_deletes, target
):
    client.force_login(manager_who_deletes)
    account = targets[target]

    page = client.get(f"{USERS}{account.pk}/delete/")
    response = client.post(f"{USERS}{account.pk}/delete/", {"post": "yes"})

    assert page.status_code == response.status_code == 403
    assert User.objects.filter(pk=account.pk).exists()


def test_bulk_delete_refuses_a_selection_with_a_superuser(client, targets, manager_who_deletes):
    client.force_login(manager_who_deletes)
    selected = [targets["coordinator"].pk, targets["superuser"].pk]

    response = client.post(
        USERS, {"action": "delete_selected", ACTION_CHECKBOX_NAME: selected, "post": "yes"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk__in=selected).count() == 2


def test_bulk_delete_of_coordinators_is_allowed(client, targets, manager_who_deletes):
    client.force_login(manager_who_deletes)
    selected = [targets["coordinator"].pk]

    response = client.post(
        USERS, {"action": "delete_selected", ACTION_CHECKBOX_NAME: selected, "post": "yes"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=selected).exists()


# Groups hold permissions


def test_only_superusers_change_a_group(client, people):
    manager = with_permissions(people["network-manager"], "auth.change_group", "auth.view_group")
    client.force_login(manager)
    reviewers = Group.objects.get(name=REVIEWER)
    before = set(reviewers.permissions.all())
    everything = Permission.objects.values_list("pk", flat=True)

    response = client.post(
        f"/admin/auth/group/{reviewers.pk}/change/",
        {"name": REVIEWER, "permissions": list(everything)},
    )

    assert response.status_code == 403
    assert set(reviewers.permissions.all()) == before


def test_superuser_changes_a_group(log_in, client):
    log_in("superuser")
    reviewers = Group.objects.get(name=REVIEWER)

    response = client.post(
        f"/admin/auth/group/{reviewers.pk}/change/", {"name": REVIEWER, "permissions": []}
    )

    assert response.status_code == 302
    assert reviewers.permissions.count() == 0


# The roles


def codenames(group_name):
    return set(
        Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


def test_reviewer_group_reviews_and_reads_but_manages_no_account():
    permissions = codenames(REVIEWER)

    assert ("practices", "review_practicerevision") in permissions
    assert ("partnerships", "review_partnershiprevision") in permissions
    assert {("cities", "view_city"), ("partnerships", "view_organisation")} <= permissions
    assert [app for app, _codename in permissions if app in ("accounts", "auth")] == []
    assert [code for _app, code in permissions if not code.startswith(("view_", "review_"))] == []


def test_network_manager_group_manages_the_network_and_coordinators_but_reviews_nothing():
    permissions = codenames(NETWORK_MANAGER)

    assert {("cities", "change_city"), ("cities", "add_creativefield")} <= permissions
    assert ("partnerships", "change_organisation") in permissions
    assert {("accounts", "add_user"), ("accounts", "change_user")} <= permissions
    assert ("accounts", "delete_user") not in permissions
    assert [code for _app, code in permissions if code.startswith("review_")] == []
    assert ("practices", "change_practicerevision") not in permissions


@pytest.mark.parametrize("group_name", [REVIEWER, NETWORK_MANAGER])
def test_no_group_acts_for_every_city(group_name):
    assert ("cities", "act_for_every_city") not in codenames(group_name)


def test_groups_migration_is_reversible():
    migration = importlib.import_module("rvcu.migrations.0002_secretariat_groups")
    before = {name: codenames(name) for name in (REVIEWER, NETWORK_MANAGER)}

    migration.delete_groups(apps, None)
    assert not Group.objects.filter(name__in=[REVIEWER, NETWORK_MANAGER]).exists()
    migration.create_groups(apps, None)

    assert {name: codenames(name) for name in (REVIEWER, NETWORK_MANAGER)} == before


# The review tools ask for the review permission


QUEUE = "/admin/practices/practicerevision/"


@pytest.fixture
def submitted(krakow, coordinator):
    return submitted_practice(krakow, "Reading circles", by=coordinator)


@pytest.mark.parametrize(
    ("role", "queue", "review"),
    [
        ("anonymous", 302, 302),
        ("coordinator", 302, 302),
        ("plain-staff", 403, 403),
        ("reviewer", 200, 200),
        ("network-manager", 403, 403),
        ("superuser", 200, 200),
    ],
)
def test_review_pages_by_role(log_in, client, submitted, role, queue, review):
    log_in(role)

    assert client.get(QUEUE).status_code == queue
    assert client.get(f"{QUEUE}{submitted.pk}/review/").status_code == review


@pytest.mark.parametrize("role", ["reviewer", "superuser"])
def test_reviewer_publishes(log_in, client, submitted, role):
    log_in(role)
    assert 'value="publish_selected"' in client.get(QUEUE).content.decode()

    response = client.post(f"{QUEUE}{submitted.pk}/review/", {"action": "publish", "message": ""})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.PUBLISHED


@pytest.mark.parametrize("role", ["plain-staff", "network-manager"])
def test_others_cannot_publish(log_in, client, submitted, role):
    log_in(role)

    review = client.post(f"{QUEUE}{submitted.pk}/review/", {"action": "publish"})
    bulk = client.post(QUEUE, {"action": "publish_selected", ACTION_CHECKBOX_NAME: [submitted.pk]})

    assert review.status_code == bulk.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED


def test_change_permission_alone_does_not_review(client, submitted):
    """ "Change" edits a revision's text; publishing it is the review permission's."""
    editor = with_permissions(
        UserFactory(is_staff=True),
        "practices.view_practicerevision",
        "practices.change_practicerevision",
    )
    client.force_login(editor)

    review = client.post(f"{QUEUE}{submitted.pk}/review/", {"action": "publish"})
    bulk = client.post(
        QUEUE, {"action": "publish_selected", ACTION_CHECKBOX_NAME: [submitted.pk]}, follow=True
    )

    assert review.status_code == 403
    assert bulk.status_code == 200
    assert client.get(QUEUE).status_code == 200
    assert 'value="publish_selected"' not in client.get(QUEUE).content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED


def test_reviewer_cannot_edit_a_revision_nor_manage_accounts(log_in, client, submitted, krakow):
    log_in("reviewer")

    edit = client.post(f"{QUEUE}{submitted.pk}/change/", {"title": "Rewritten"})

    assert edit.status_code == 403
    assert PracticeRevision.objects.get(pk=submitted.pk).title == "Reading circles"
    assert client.get(USERS).status_code == 403
    assert client.get("/admin/cities/city/").status_code == 200
    assert client.get(f"/admin/cities/city/{krakow.pk}/change/").status_code == 200
    assert client.post(f"/admin/cities/city/{krakow.pk}/change/", {"name": "X"}).status_code == 403
    assert City.objects.get(pk=krakow.pk).name == "Kraków"


def test_network_manager_reaches_cities_and_invitations(log_in, client, krakow):
    log_in("network-manager")

    assert client.get("/admin/cities/city/").status_code == 200
    assert client.get(f"/admin/cities/city/{krakow.pk}/change/").status_code == 200
    assert client.get(f"/admin/cities/city/{krakow.pk}/invite/").status_code == 200
    assert client.get("/admin/partnerships/organisation/").status_code == 200
    assert client.get(f"{USERS}add/").status_code == 200


def test_a_reviewed_model_without_a_review_permission_fails_the_checks():
    class CityReviewAdmin(ReviewAdminMixin, admin.ModelAdmin):
        pass

    errors = CityReviewAdmin(City, admin.site).check()
    registered = admin.site._registry[PracticeRevision].check()

    assert [error.id for error in errors if error.id.startswith("rvcu.")] == ["rvcu.E001"]
    assert [error.level for error in errors if error.id == "rvcu.E001"] == [checks.ERROR]
    assert [error.id for error in registered if error.id.startswith("rvcu.")] == []
