"""The secretariat's tools for partnerships in the admin: the review queue, the review page,
the preview, the bulk actions, the partnerships and the partner organisations."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.utils import timezone

from partnerships import services
from partnerships.models import Organisation, PartnershipRevision, Sector
from rvcu.review import ReviewState
from tests.factories import CityFactory, UserFactory
from tests.partnerships.factories import (
    LIBRARY,
    draft_partnership,
    invite,
    join,
    published_partnership,
    submitted_partnership,
)
from tests.partnerships.helpers import PUBLIC, THEATRE, TITLE, call, coordinator_of, organisation

pytestmark = pytest.mark.django_db

QUEUE = "/admin/partnerships/partnershiprevision/"
PARTNERSHIPS = "/admin/partnerships/partnership/"
ORGANISATIONS = "/admin/partnerships/organisation/"
ROW_TITLE = re.compile(r'<th class="field-title"><a href="[^"]*">([^<]*)</a></th>')
ROW_NAME = re.compile(r'<th class="field-name"><a href="[^"]*">([^<]*)</a></th>')


@pytest.fixture
def people(krakow, dakar):
    """Kraków's coordinators (one reads French) and a coordinator of Dakar, a partner city."""
    return {
        "anna": coordinator_of(krakow, email="anna@krakow.example", language="en"),
        "benoit": coordinator_of(krakow, email="benoit@krakow.example", language="fr"),
        "dara": coordinator_of(dakar, email="dara@dakar.example", language="en"),
    }


@pytest.fixture
def secretariat(client):
    person = UserFactory(is_staff=True, is_superuser=True, email="secretariat@example.org")
    client.force_login(person)
    return person


@pytest.fixture
def submitted(krakow, dakar, people):
    """Kraków's partnership, submitted by Anna; Dakar takes part."""
    revision = submitted_partnership(
        krakow,
        TITLE,
        by=people["anna"],
        description="Each year, **four writers** travel between the cities.",
        organisations=[LIBRARY, organisation("Université Cheikh Anta Diop", Sector.RESEARCH, "SN")],
        open_calls=[
            call(
                "Residencies 2026",
                timezone.localdate() - timedelta(days=1),
                timezone.localdate() + timedelta(days=9),
            )
        ],
    )
    join(revision.partnership, dakar)
    return revision


def queue_titles(response):
    return ROW_TITLE.findall(response.content.decode())


def state_of(revision):
    revision.refresh_from_db()
    return revision.state


# Who may use the secretariat's tools


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_admin_pages_send_non_staff_to_the_admin_login(client, submitted, people, role):
    if role == "coordinator":
        client.force_login(people["anna"])
    organisation_pk = Organisation.objects.first().pk

    for url in (
        QUEUE,
        f"{QUEUE}{submitted.pk}/review/",
        f"{QUEUE}{submitted.pk}/preview/",
        f"{QUEUE}{submitted.pk}/change/",
        PARTNERSHIPS,
        f"{PARTNERSHIPS}{submitted.partnership.pk}/change/",
        ORGANISATIONS,
        f"{ORGANISATIONS}{organisation_pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url

    response = client.post(f"{QUEUE}{submitted.pk}/review/", {"action": "publish"})
    bulk = client.post(QUEUE, {"action": "publish_selected", ACTION_CHECKBOX_NAME: [submitted.pk]})
    assert response.status_code == 302
    assert bulk.status_code == 302
    assert state_of(submitted) == ReviewState.SUBMITTED
    assert client.get(PUBLIC).status_code == 404


def test_staff_without_change_permission_cannot_review(client, submitted):
    client.force_login(UserFactory(is_staff=True))

    response = client.post(f"{QUEUE}{submitted.pk}/review/", {"action": "publish"})

    assert response.status_code == 403
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_partnerships_are_not_added_in_the_admin(client, secretariat):
    assert client.get(f"{QUEUE}add/").status_code == 403


# The review queue


def test_queue_lists_submitted_first_oldest_first(client, krakow, people, secretariat):
    draft = draft_partnership(krakow, "A draft", by=people["anna"])
    first = submitted_partnership(krakow, "Submitted first", by=people["anna"])
    second = submitted_partnership(krakow, "Submitted second", by=people["anna"])
    published = published_partnership(krakow, "Published one", by=people["anna"])
    sent_back = submitted_partnership(krakow, "Sent back", by=people["anna"])
    services.partnership_request_changes(revision=sent_back, by=secretariat, message="More.")
    PartnershipRevision.objects.filter(pk=second.pk).update(
        state_changed_at=first.state_changed_at.replace(year=2020)
    )

    response = client.get(QUEUE)

    assert response.status_code == 200
    titles = queue_titles(response)
    assert titles[:3] == ["Submitted second", "Submitted first", "Sent back"]
    assert set(titles[3:]) == {draft.title, published.title}
    content = response.content.decode()
    assert f'href="{QUEUE}{first.pk}/review/"' in content
    assert f'href="{QUEUE}{first.pk}/preview/"' in content
    assert '<td class="field-lead_city">Kraków</td>' in content


def test_queue_filters_by_state_kind_and_region_of_the_lead_city(
    client, krakow, dakar, people, secretariat
):
    submitted_partnership(krakow, "In Europe", by=people["anna"])
    draft_partnership(krakow, "Still a draft", by=people["anna"], kind="study")
    africa = submitted_partnership(dakar, "In Africa", by=people["dara"], kind="event")
    join(africa.partnership, krakow)

    submitted = client.get(QUEUE, {"state": "submitted"})
    studies = client.get(QUEUE, {"kind": "study"})
    led_from_africa = client.get(QUEUE, {"region": "africa"})
    led_from_europe = client.get(QUEUE, {"region": "europe-north-america"})

    assert sorted(queue_titles(submitted)) == ["In Africa", "In Europe"]
    assert queue_titles(studies) == ["Still a draft"]
    assert queue_titles(led_from_africa) == ["In Africa"]
    assert sorted(queue_titles(led_from_europe)) == ["In Europe", "Still a draft"]


def test_queue_search_by_title_slug_and_lead_city(client, krakow, dakar, people, secretariat):
    submitted_partnership(krakow, TITLE, by=people["anna"])
    submitted_partnership(dakar, "Digital arts lab", by=people["dara"])

    by_title = client.get(QUEUE, {"q": "residencies"})
    by_city = client.get(QUEUE, {"q": "Dakar"})

    assert queue_titles(by_title) == [TITLE]
    assert queue_titles(by_city) == ["Digital arts lab"]


@pytest.mark.parametrize("count", [1, 30])
def test_queue_query_count_does_not_grow(
    client, krakow, dakar, people, secretariat, django_assert_num_queries, count
):
    for number in range(count):
        lead, by = (krakow, people["anna"]) if number % 2 else (dakar, people["dara"])
        revision = submitted_partnership(
            lead,
            f"Partnership {number:02}",
            by=by,
            fields=["literature", "music"],
            organisations=[organisation(f"Partner {number}")],
        )
        join(revision.partnership, krakow if lead == dakar else dakar)

    # Session, user, count, total count, page of rows with lead city and author, filter
    # choices (fields, lead cities with partnerships).
    with django_assert_num_queries(7):
        response = client.get(QUEUE)

    assert len(queue_titles(response)) == count


# One item: review page and preview


def test_preview_shows_the_partnership_as_the_public_will(client, submitted, secretariat):
    invite(submitted.partnership, CityFactory(name="Montréal", country="CA"))

    response = client.get(f"{QUEUE}{submitted.pk}/preview/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Preview for the secretariat" in content
    assert "“Submitted for review”" in content
    assert f'<h1 class="page-header__title">{TITLE}</h1>' in content
    assert "<strong>four writers</strong>" in content
    assert re.findall(r'<li><a href="/en/cities/[^"]+/">([^<]+)</a>', content) == [
        "Kraków",
        "Dakar",
    ]
    assert "Montréal" not in content
    assert "<h3>Public body</h3>" in content
    assert "<h3>University or research body</h3>" in content
    assert "Residencies 2026" in content
    assert "Open now" in content


def test_preview_of_a_draft_for_the_secretariat(client, krakow, people, secretariat):
    revision = draft_partnership(krakow, "Secret plans", by=people["anna"])

    response = client.get(f"{QUEUE}{revision.pk}/preview/")

    assert response.status_code == 200
    assert "“Draft”" in response.content.decode()


def test_publish_from_review_page(
    client, submitted, people, secretariat, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{submitted.pk}/review/", {"action": "publish"})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert state_of(submitted) == ReviewState.PUBLISHED
    assert submitted.partnership.published_revision_id == submitted.pk
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@krakow.example",
        "benoit@krakow.example",
    ]
    french = next(message for message in mail.outbox if message.to == ["benoit@krakow.example"])
    assert "/fr/partnerships/literary-residencies/" in french.body
    assert client.get(PUBLIC).status_code == 200


def test_request_changes_needs_a_message(client, submitted, secretariat):
    response = client.post(
        f"{QUEUE}{submitted.pk}/review/", {"action": "request_changes", "message": "  "}
    )

    assert response.status_code == 200
    assert "Write a message to say what should change." in response.content.decode()
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_request_changes_with_message_reaches_the_lead_city(
    client, submitted, secretariat, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{QUEUE}{submitted.pk}/review/",
            {"action": "request_changes", "message": "Name the role of each partner."},
        )

    assert response.status_code == 302
    assert state_of(submitted) == ReviewState.CHANGES_REQUESTED
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@krakow.example",
        "benoit@krakow.example",
    ]
    assert all("Name the role of each partner." in message.body for message in mail.outbox)
    history = client.get(f"{QUEUE}{submitted.pk}/change/").content.decode()
    assert "Name the role of each partner." in history


def test_review_page_offers_only_possible_decisions(client, krakow, people, secretariat):
    draft = draft_partnership(krakow, "A draft", by=people["anna"])

    response = client.get(f"{QUEUE}{draft.pk}/review/")
    refused = client.post(f"{QUEUE}{draft.pk}/review/", {"action": "publish"}, follow=True)

    assert "Nothing to decide" in response.content.decode()
    assert refused.redirect_chain == [(f"{QUEUE}{draft.pk}/review/", 302)]
    assert "“Publish” is not possible for an item that is “Draft”." in refused.content.decode()
    assert state_of(draft) == ReviewState.DRAFT


def test_review_page_of_a_published_partnership_offers_to_archive(
    client, krakow, people, secretariat
):
    revision = published_partnership(krakow, TITLE, by=people["anna"])

    content = client.get(f"{QUEUE}{revision.pk}/review/").content.decode()

    assert 'value="archive"' in content
    assert 'value="publish"' not in content


def test_change_page_shows_organisations_and_calls_inlines(client, submitted, secretariat):
    response = client.get(f"{QUEUE}{submitted.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Kraków Public Library (PL)" in content
    assert 'value="Residencies 2026"' in content
    # What this revision says of each organisation, for the secretariat to review.
    assert re.search(
        r'name="organisation_roles-0-website"[^>]*value="https://library.example.org"', content
    ) or re.search(
        r'value="https://library.example.org"[^>]*name="organisation_roles-0-website"', content
    )
    assert re.search(
        r'<select name="organisation_roles-1-sector"[^>]*>.*?'
        r'<option value="research" selected>',
        content,
        re.DOTALL,
    )


# Bulk actions


def test_bulk_publish_publishes_submitted_and_reports_the_rest(client, krakow, people, secretariat):
    submitted = [
        submitted_partnership(krakow, f"Partnership {n}", by=people["anna"]) for n in range(3)
    ]
    draft = draft_partnership(krakow, "A draft", by=people["anna"])

    response = client.post(
        QUEUE,
        {
            "action": "publish_selected",
            ACTION_CHECKBOX_NAME: [item.pk for item in [*submitted, draft]],
        },
        follow=True,
    )

    content = response.content.decode()
    states = dict(PartnershipRevision.objects.values_list("title", "state"))
    assert [states[item.title] for item in submitted] == [ReviewState.PUBLISHED] * 3
    assert states["A draft"] == ReviewState.DRAFT
    assert "Publish: done for 3 items." in content
    assert "A draft (#1):" in content
    assert client.get("/en/partnerships/").content.decode().count("practice-card__title") == 3


def test_bulk_request_changes_asks_for_a_message_first(client, krakow, people, secretariat):
    items = [submitted_partnership(krakow, f"Partnership {n}", by=people["anna"]) for n in range(2)]
    selection = {ACTION_CHECKBOX_NAME: [item.pk for item in items]}

    asked = client.post(QUEUE, {"action": "request_changes_selected", **selection})
    empty = client.post(QUEUE, {"action": "request_changes_selected", "message": "", **selection})
    done = client.post(
        QUEUE,
        {"action": "request_changes_selected", "message": "Shorter summaries.", **selection},
    )

    assert asked.status_code == 200
    assert "Send back with this message" in asked.content.decode()
    assert "Partnership 0 (#1)" in asked.content.decode()
    assert "Write a message to say what should change." in empty.content.decode()
    assert done.status_code == 302
    assert set(PartnershipRevision.objects.values_list("state", flat=True)) == {
        ReviewState.CHANGES_REQUESTED
    }


def test_bulk_archive_takes_partnerships_offline(client, krakow, people, secretariat):
    revision = published_partnership(krakow, TITLE, by=people["anna"])

    client.post(QUEUE, {"action": "archive_selected", ACTION_CHECKBOX_NAME: [revision.pk]})

    assert state_of(revision) == ReviewState.ARCHIVED
    revision.partnership.refresh_from_db()
    assert revision.partnership.published_revision is None
    assert client.get(PUBLIC).status_code == 404


# Partnerships


def test_partnership_list_and_search(client, krakow, dakar, people, secretariat):
    published_partnership(krakow, TITLE, by=people["anna"])
    published_partnership(dakar, "Digital arts lab", by=people["dara"])

    everything = client.get(PARTNERSHIPS).content.decode()
    by_title = client.get(PARTNERSHIPS, {"q": "digital"}).content.decode()

    assert "literary-residencies" in everything
    assert "digital-arts-lab" in everything
    assert "digital-arts-lab" in by_title
    assert "literary-residencies" not in by_title


def test_partnership_change_page_lists_the_cities_invited(client, submitted, secretariat):
    invite(submitted.partnership, CityFactory(name="Montréal", country="CA"))

    response = client.get(f"{PARTNERSHIPS}{submitted.partnership.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    for name in ("Kraków", "Dakar", "Montréal"):
        assert name in content, name
    assert 'value="invited" selected' in content


# Partner organisations


def organisation_rows(response):
    """{name: partnership count} of the organisation changelist."""
    content = response.content.decode()
    names = ROW_NAME.findall(content)
    counts = re.findall(r'<td class="field-partnership_count">(\d+)</td>', content)
    return dict(zip(names, map(int, counts), strict=True))


@pytest.fixture
def partners(krakow, dakar, people):
    """The library in two partnerships (one of them in two revisions), the theatre in one, a
    university in none."""
    first = published_partnership(krakow, TITLE, by=people["anna"], organisations=[LIBRARY])
    services.partnership_update(
        partnership=first.partnership, by=people["anna"], title="Literary residencies, v2"
    )
    draft_partnership(dakar, "Digital arts lab", organisations=[LIBRARY, THEATRE])
    services.organisation_for(name="Université Cheikh Anta Diop", country="SN")


def test_organisation_list_counts_partnerships_once_each(client, partners, secretariat):
    response = client.get(ORGANISATIONS)

    assert response.status_code == 200
    assert organisation_rows(response) == {
        "Kraków Public Library": 2,
        "Teatr Stary": 1,
        "Université Cheikh Anta Diop": 0,
    }


def test_organisation_list_sorts_by_partnership_count(client, partners, secretariat):
    response = client.get(ORGANISATIONS, {"o": "-3"})

    assert list(organisation_rows(response)) == [
        "Kraków Public Library",
        "Teatr Stary",
        "Université Cheikh Anta Diop",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("library", ["Kraków Public Library"]), ("teatr", ["Teatr Stary"]), ("opera", [])],
)
def test_organisation_search(client, partners, secretariat, query, expected):
    response = client.get(ORGANISATIONS, {"q": query})

    assert list(organisation_rows(response)) == expected


def test_organisation_filter_by_sector_a_partnership_gives_it(client, partners, secretariat):
    response = client.get(ORGANISATIONS, {"roles__sector__exact": "public"})

    assert list(organisation_rows(response)) == ["Kraków Public Library", "Teatr Stary"]


@pytest.mark.parametrize("count", [1, 30])
def test_organisation_list_query_count_does_not_grow(
    client, krakow, people, secretariat, django_assert_num_queries, count
):
    published_partnership(
        krakow,
        TITLE,
        by=people["anna"],
        organisations=[organisation(f"Partner {number:02}") for number in range(count)],
    )

    # Session, user, count, total count, one page of organisations with their partnership
    # count (the country filter's choices need no query).
    with django_assert_num_queries(5):
        response = client.get(ORGANISATIONS)

    assert len(organisation_rows(response)) == count
