"""The secretariat's review tools in the admin: queue, review page, preview, bulk actions."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from cities.models import CreativeField
from practices import services
from practices.models import PracticeRevision
from rvcu.review import ReviewState
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/practices/practicerevision/"
CONTENT = {
    "summary": "Free music lessons in every district library.",
    "challenge": "Few children could afford music lessons.",
    "actions": "Libraries lend **instruments** and host teachers.",
    "results": "1,200 children learned an instrument in two years.",
    "transferability": "Any city with a library network can start with ten instruments.",
    "year_started": 2019,
}
ROW_TITLE = re.compile(r'<th class="field-title"><a href="[^"]*">([^<]*)</a></th>')


@pytest.fixture
def city():
    return CityFactory(name="Kraków", country="PL", field_slug="literature")


@pytest.fixture
def coordinator(city):
    person = UserFactory(email="coordinator@krakow.example", language="fr")
    city.coordinators.add(person)
    return person


@pytest.fixture
def secretariat(client):
    person = UserFactory(is_staff=True, is_superuser=True, email="secretariat@example.org")
    client.force_login(person)
    return person


def make_revision(city, coordinator, title, *, submit=True):
    _practice, revision = services.practice_create(
        city=city,
        title=title,
        by=coordinator,
        fields=[CreativeField.objects.get(slug="music")],
        **CONTENT,
    )
    if submit:
        services.practice_submit(revision=revision, by=coordinator)
    return revision


def queue_titles(response):
    return ROW_TITLE.findall(response.content.decode())


# Who may use the review tools


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_review_tools_send_non_staff_to_the_admin_login(client, city, coordinator, role):
    revision = make_revision(city, coordinator, "Music in the libraries")
    if role == "coordinator":
        client.force_login(coordinator)

    for url in (
        QUEUE,
        f"{QUEUE}{revision.pk}/review/",
        f"{QUEUE}{revision.pk}/preview/",
        f"{QUEUE}{revision.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url

    response = client.post(f"{QUEUE}{revision.pk}/review/", {"action": "publish"})
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.state == ReviewState.SUBMITTED


def test_staff_without_change_permission_cannot_review(client, city, coordinator):
    revision = make_revision(city, coordinator, "Music in the libraries")
    client.force_login(UserFactory(is_staff=True))

    response = client.post(f"{QUEUE}{revision.pk}/review/", {"action": "publish"})

    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.state == ReviewState.SUBMITTED


# The queue


def test_queue_lists_submitted_first_oldest_first(client, city, coordinator, secretariat):
    draft = make_revision(city, coordinator, "A draft", submit=False)
    first = make_revision(city, coordinator, "Submitted first")
    second = make_revision(city, coordinator, "Submitted second")
    published = make_revision(city, coordinator, "Published one")
    services.practice_publish(revision=published, by=secretariat)
    # The oldest submission is moved last in time order of creation, first in the queue.
    PracticeRevision.objects.filter(pk=second.pk).update(
        state_changed_at=first.state_changed_at.replace(year=2020)
    )

    response = client.get(QUEUE)

    assert response.status_code == 200
    titles = queue_titles(response)
    assert titles[:2] == ["Submitted second", "Submitted first"]
    assert set(titles[2:]) == {draft.title, published.title}


def test_queue_filters_by_state_and_region(client, city, coordinator, secretariat):
    make_revision(city, coordinator, "In Europe")
    make_revision(city, coordinator, "Still a draft", submit=False)
    dakar = CityFactory(name="Dakar", country="SN")
    dakar_coordinator = UserFactory()
    dakar.coordinators.add(dakar_coordinator)
    make_revision(dakar, dakar_coordinator, "In Africa")

    submitted = client.get(QUEUE, {"state": "submitted"})
    africa = client.get(QUEUE, {"region": "africa"})

    assert sorted(queue_titles(submitted)) == ["In Africa", "In Europe"]
    assert queue_titles(africa) == ["In Africa"]


@pytest.mark.parametrize("count", [1, 30])
def test_queue_query_count_does_not_grow(
    client, city, coordinator, secretariat, django_assert_num_queries, count
):
    for number in range(count):
        make_revision(city, coordinator, f"Practice {number}")

    # Session, user, count, total count, page of rows with city and author, filter choices
    # (fields, cities with practices).
    with django_assert_num_queries(7):
        response = client.get(QUEUE)

    assert len(queue_titles(response)) == count


# One item: review page and preview


def test_preview_shows_the_practice_as_the_public_will(client, city, coordinator, secretariat):
    revision = make_revision(city, coordinator, "Music in the libraries")

    response = client.get(f"{QUEUE}{revision.pk}/preview/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Music in the libraries" in content
    assert "<strong>instruments</strong>" in content
    assert "Preview for the secretariat" in content


def test_publish_from_review_page(
    client, city, coordinator, secretariat, django_capture_on_commit_callbacks
):
    revision = make_revision(city, coordinator, "Music in the libraries")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{revision.pk}/review/", {"action": "publish"})

    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.state == ReviewState.PUBLISHED
    assert revision.practice.published_revision_id == revision.pk
    assert [message.to for message in mail.outbox] == [["coordinator@krakow.example"]]
    assert "/fr/practices/music-in-the-libraries/" in mail.outbox[0].body
    assert client.get("/en/practices/music-in-the-libraries/").status_code == 200


def test_request_changes_needs_a_message(client, city, coordinator, secretariat):
    revision = make_revision(city, coordinator, "Music in the libraries")

    response = client.post(
        f"{QUEUE}{revision.pk}/review/", {"action": "request_changes", "message": "  "}
    )

    assert response.status_code == 200
    assert "Write a message to say what should change." in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == ReviewState.SUBMITTED


def test_request_changes_with_message_reaches_coordinator(
    client, city, coordinator, secretariat, django_capture_on_commit_callbacks
):
    revision = make_revision(city, coordinator, "Music in the libraries")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{QUEUE}{revision.pk}/review/",
            {"action": "request_changes", "message": "Add figures on attendance."},
        )

    revision.refresh_from_db()
    assert revision.state == ReviewState.CHANGES_REQUESTED
    assert "Add figures on attendance." in mail.outbox[0].body
    history = client.get(f"{QUEUE}{revision.pk}/change/").content.decode()
    assert "Add figures on attendance." in history


def test_review_page_offers_only_possible_decisions(client, city, coordinator, secretariat):
    draft = make_revision(city, coordinator, "A draft", submit=False)

    response = client.get(f"{QUEUE}{draft.pk}/review/")
    refused = client.post(f"{QUEUE}{draft.pk}/review/", {"action": "publish"}, follow=True)

    assert "Nothing to decide" in response.content.decode()
    assert refused.redirect_chain == [(f"{QUEUE}{draft.pk}/review/", 302)]
    assert "“Publish” is not possible for an item that is “Draft”." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == ReviewState.DRAFT


# Bulk actions


def test_bulk_publish_publishes_submitted_and_reports_the_rest(
    client, city, coordinator, secretariat
):
    submitted = [make_revision(city, coordinator, f"Practice {n}") for n in range(3)]
    draft = make_revision(city, coordinator, "A draft", submit=False)

    response = client.post(
        QUEUE,
        {
            "action": "publish_selected",
            ACTION_CHECKBOX_NAME: [item.pk for item in [*submitted, draft]],
        },
        follow=True,
    )

    content = response.content.decode()
    states = dict(PracticeRevision.objects.values_list("title", "state"))
    assert [states[item.title] for item in submitted] == [ReviewState.PUBLISHED] * 3
    assert states["A draft"] == ReviewState.DRAFT
    assert "Publish: done for 3 items." in content
    assert "A draft (#1):" in content


def test_bulk_request_changes_asks_for_a_message_first(client, city, coordinator, secretariat):
    items = [make_revision(city, coordinator, f"Practice {n}") for n in range(2)]
    selection = {ACTION_CHECKBOX_NAME: [item.pk for item in items]}

    asked = client.post(QUEUE, {"action": "request_changes_selected", **selection})
    empty = client.post(QUEUE, {"action": "request_changes_selected", "message": "", **selection})
    done = client.post(
        QUEUE,
        {"action": "request_changes_selected", "message": "Shorter summaries.", **selection},
    )

    assert asked.status_code == 200
    assert "Send back with this message" in asked.content.decode()
    assert "Write a message to say what should change." in empty.content.decode()
    assert done.status_code == 302
    assert set(PracticeRevision.objects.values_list("state", flat=True)) == {
        ReviewState.CHANGES_REQUESTED
    }


def test_bulk_archive_takes_practices_offline(client, city, coordinator, secretariat):
    revision = make_revision(city, coordinator, "Music in the libraries")
    services.practice_publish(revision=revision, by=secretariat)

    client.post(QUEUE, {"action": "archive_selected", ACTION_CHECKBOX_NAME: [revision.pk]})

    revision.refresh_from_db()
    assert revision.state == ReviewState.ARCHIVED
    assert client.get("/en/practices/music-in-the-libraries/").status_code == 404
