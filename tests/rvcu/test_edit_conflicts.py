"""Two people editing one draft: a save on content saved since the form was shown saves
nothing, shows the form again with what the person wrote beside the other version, and a save
made again on purpose goes through. For both reviewed types."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services as partnership_services
from practices import services as practice_services
from rvcu.revisions import EditConflict
from tests.factories import UserFactory, image_bytes
from tests.partnerships.factories import LIBRARY, draft_partnership, published_partnership
from tests.partnerships.helpers import _FormReader, form_values, messages_of
from tests.practices.factories import draft_practice, published_practice
from tests.races import race, refusals

NOT_SAVED = (
    "Your changes are not saved yet: someone else saved this page while you were editing it. "
    "Their version is shown beside yours; keep what you want, then save again."
)
TYPES = {
    "practice": {
        "draft": draft_practice,
        "published": published_practice,
        "update": lambda document, **kwargs: practice_services.practice_update(
            practice=document, **kwargs
        ),
    },
    "partnership": {
        "draft": draft_partnership,
        "published": published_partnership,
        "update": lambda document, **kwargs: partnership_services.partnership_update(
            partnership=document, **kwargs
        ),
    },
}
ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td>(.*?)</td><td>(.*?)</td></tr>', re.DOTALL)


@pytest.fixture(params=list(TYPES))
def kind(request):
    return request.param


@pytest.fixture
def colleague(krakow):
    """Another coordinator of Kraków, editing the same draft."""
    person = UserFactory(email="colleague@krakow.example")
    krakow.coordinators.add(person)
    return person


def edit_url(kind, document):
    return f"/en/my/{kind}s/{document.pk}/edit/"


def conflict_rows(response):
    """{field label: (saved meanwhile, yours)} of the table shown after a refused save."""
    return {
        html.unescape(label): (html.unescape(theirs), html.unescape(yours))
        for label, theirs, yours in ROW.findall(response.content.decode())
    }


def latest(document):
    return document.revisions.order_by("-number").first()


@pytest.mark.django_db
def test_every_content_save_counts_a_new_version(kind, krakow, coordinator):
    revision = TYPES[kind]["draft"](krakow, by=coordinator)
    first = revision.edit_version

    TYPES[kind]["update"](revision.document, by=coordinator, title="Another title")

    assert latest(revision.document).pk == revision.pk
    assert latest(revision.document).edit_version != first
    assert latest(revision.document).version == revision.version + 1


@pytest.mark.django_db
def test_a_save_shown_an_older_version_raises_a_conflict_and_saves_nothing(
    kind, krakow, coordinator, colleague
):
    revision = TYPES[kind]["draft"](krakow, by=coordinator)
    seen = revision.edit_version
    TYPES[kind]["update"](revision.document, by=colleague, title="The colleague's title")

    with pytest.raises(EditConflict) as error:
        TYPES[kind]["update"](
            revision.document, by=coordinator, edited_version=seen, title="My title"
        )

    assert error.value.code == "edit_conflict"
    assert error.value.current.title == "The colleague's title"
    assert latest(revision.document).title == "The colleague's title"
    assert latest(revision.document).author == colleague


@pytest.mark.django_db
def test_two_edits_of_a_published_version_make_one_draft_not_two(
    kind, krakow, coordinator, colleague
):
    published = TYPES[kind]["published"](krakow, by=coordinator)
    seen = published.edit_version
    TYPES[kind]["update"](
        published.document, by=colleague, edited_version=seen, title="The colleague's draft"
    )

    with pytest.raises(EditConflict):
        TYPES[kind]["update"](
            published.document, by=coordinator, edited_version=seen, title="My draft"
        )

    assert published.document.revisions.count() == 2
    assert latest(published.document).title == "The colleague's draft"


@pytest.mark.django_db
def test_a_refused_save_shows_both_versions_and_keeps_what_was_typed(
    client, kind, krakow, coordinator, colleague
):
    revision = TYPES[kind]["draft"](krakow, by=coordinator)
    document = revision.document
    client.force_login(coordinator)
    mine = form_values(client.get(edit_url(kind, document)))
    assert mine["edited_version"] == revision.edit_version
    TYPES[kind]["update"](
        document, by=colleague, title="The colleague's title", summary="Their summary."
    )
    mine.update(title="My title", summary="My summary.")

    response = client.post(edit_url(kind, document), mine)

    assert response.status_code == 200
    assert NOT_SAVED in html.unescape(response.content.decode())
    assert latest(document).title == "The colleague's title"
    rows = conflict_rows(response)
    assert rows == {
        "Title": ("The colleague's title", "My title"),
        "Summary": ("Their summary.", "My summary."),
    }
    shown_again = form_values(response)
    assert shown_again["title"] == "My title"
    assert shown_again["summary"] == "My summary."
    assert shown_again["edited_version"] == latest(document).edit_version


@pytest.mark.django_db
def test_saving_again_after_a_conflict_replaces_the_other_version(
    client, kind, krakow, coordinator, colleague
):
    revision = TYPES[kind]["draft"](krakow, by=coordinator)
    document = revision.document
    client.force_login(coordinator)
    mine = form_values(client.get(edit_url(kind, document)))
    TYPES[kind]["update"](document, by=colleague, title="The colleague's title")
    mine["title"] = "My title"
    refused = client.post(edit_url(kind, document), mine)

    again = client.post(edit_url(kind, document), form_values(refused), follow=True)

    assert messages_of(again) == ["Your changes are saved."]
    assert latest(document).title == "My title"
    assert latest(document).author == coordinator


@pytest.mark.django_db
def test_a_picture_chosen_before_a_conflict_is_kept_for_the_save_again(
    client, kind, krakow, coordinator, colleague, media_root
):
    revision = TYPES[kind]["draft"](krakow, by=coordinator)
    document = revision.document
    client.force_login(coordinator)
    mine = form_values(client.get(edit_url(kind, document)))
    TYPES[kind]["update"](document, by=colleague, title="The colleague's title")
    mine.update(
        image=SimpleUploadedFile("harbour.png", image_bytes(), "image/png"),
        image_alt="The harbour at dawn",
        image_credit="City of Kraków",
    )

    refused = client.post(edit_url(kind, document), mine)
    again = client.post(edit_url(kind, document), form_values(refused), follow=True)

    page = html.unescape(refused.content.decode())
    assert "Your picture “harbour.png” is kept" in page
    rows = conflict_rows(refused)
    assert list(rows) == ["Title", "Image", "Image description (alt text)", "Image credit"]
    assert rows["Image"] == ("—", "harbour.png")
    assert messages_of(again) == ["Your changes are saved."]
    assert latest(document).image
    assert latest(document).image_alt == "The harbour at dawn"


@pytest.mark.django_db
def test_partner_organisations_changed_meanwhile_are_shown_side_by_side(
    client, krakow, coordinator, colleague
):
    revision = draft_partnership(krakow, by=coordinator)
    document = revision.document
    client.force_login(coordinator)
    mine = form_values(client.get(edit_url("partnership", document)))
    partnership_services.partnership_update(
        partnership=document, by=colleague, organisations=[LIBRARY]
    )
    mine.update(
        {
            "organisations-0-name": "Kraków Festival Office",
            "organisations-0-sector": "public",
            "organisations-0-country": "PL",
            "organisations-0-role": "Runs the festival",
        }
    )

    response = client.post(edit_url("partnership", document), mine)

    rows = conflict_rows(response)
    assert list(rows) == ["Partner organisations"]
    theirs, yours = rows["Partner organisations"]
    assert theirs == (
        "Kraków Public Library · Public body · Poland · https://library.example.org · "
        "Hosts the writers"
    )
    assert yours == "Kraków Festival Office · Public body · Poland · Runs the festival"
    assert form_values(response)["organisations-0-name"] == "Kraków Festival Office"
    assert [role.organisation.name for role in latest(document).organisation_roles.all()] == [
        "Kraków Public Library"
    ]


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_version_at_once_save_one(seeded_rows_back, kind, krakow):
    first, second = UserFactory(), UserFactory()
    krakow.coordinators.add(first, second)
    revision = TYPES[kind]["draft"](krakow, by=first)
    seen = revision.edit_version
    update = TYPES[kind]["update"]

    results = race(
        lambda: update(revision.document, by=first, edited_version=seen, title="First"),
        lambda: update(revision.document, by=second, edited_version=seen, title="Second"),
    )

    refused = refusals(results)
    assert len(refused) == 1
    assert isinstance(refused[0], EditConflict)
    saved = latest(revision.document)
    assert saved.version == revision.version + 1
    assert saved.title in ("First", "Second")


class _AdminFormReader(_FormReader):
    """What the admin's change form would post."""

    def handle_starttag(self, tag, attrs):
        if tag == "form" and (dict(attrs).get("id") or "").endswith("_form"):
            self.in_form = True
        super().handle_starttag(tag, attrs)


def admin_form_values(response):
    reader = _AdminFormReader()
    reader.feed(response.content.decode())
    return {
        name: [item.removeprefix("\n") for item in items] if len(items) != 1 else items[0]
        for name, items in reader.values.items()
    }


@pytest.mark.django_db
def test_a_secretariat_edit_in_the_admin_over_a_newer_save_is_refused_then_possible(
    client, kind, krakow, coordinator, staff_user
):
    revision = TYPES[kind]["draft"](krakow, by=coordinator)
    change_page = f"/admin/{kind}s/{kind}revision/{revision.pk}/change/"
    client.force_login(staff_user)
    theirs = admin_form_values(client.get(change_page))
    assert theirs["edited_version"] == revision.edit_version
    TYPES[kind]["update"](revision.document, by=coordinator, title="The coordinator's title")
    theirs["title"] = "The secretariat's title"

    refused = client.post(change_page, theirs)
    again = client.post(change_page, admin_form_values(refused))

    assert refused.status_code == 200
    assert "Someone else saved this content while you were editing it" in html.unescape(
        refused.content.decode()
    )
    assert admin_form_values(refused)["title"] == "The secretariat's title"
    assert again.status_code == 302
    assert latest(revision.document).title == "The secretariat's title"
