"""A create form sent twice at once: both requests may find the same address free, and the one
that inserts second must get the next one, not an error page. For both document types."""

import pytest

from partnerships.models import Partnership
from practices.models import Practice
from rvcu import revisions
from tests.factories import UserFactory
from tests.partnerships.factories import draft_partnership
from tests.partnerships.helpers import form_data, practice_form_data
from tests.practices.factories import draft_practice
from tests.races import race, refusals

TYPES = {
    "practice": {"model": Practice, "draft": draft_practice, "title": "Music in the libraries"},
    "partnership": {
        "model": Partnership,
        "draft": draft_partnership,
        "title": "Literary residencies",
    },
}


@pytest.fixture(params=list(TYPES))
def kind(request):
    return request.param


@pytest.fixture
def slug_found_free_before_the_other_insert(monkeypatch):
    """The first slug looked for is the plain one, as if the other request had not inserted
    its row yet when this one looked."""
    real = revisions.unique_slug
    calls = []

    def unique_slug(model, text, **kwargs):
        calls.append(text)
        if len(calls) == 1:
            return revisions.ascii_slug(text)
        return real(model, text, **kwargs)

    monkeypatch.setattr(revisions, "unique_slug", unique_slug)
    return calls


@pytest.mark.django_db
def test_a_slug_taken_meanwhile_gives_the_next_free_one(
    kind, krakow, slug_found_free_before_the_other_insert
):
    title = TYPES[kind]["title"]
    first = TYPES[kind]["draft"](krakow, title).document
    slug_found_free_before_the_other_insert.clear()

    second = TYPES[kind]["draft"](krakow, title).document

    assert len(slug_found_free_before_the_other_insert) == 2
    assert first.slug == revisions.ascii_slug(title)
    assert second.slug == f"{first.slug}-2"
    assert TYPES[kind]["model"].objects.count() == 2
    assert second.revisions.get().title == title


@pytest.mark.django_db
def test_a_create_form_sent_while_another_takes_the_address_saves_the_draft(
    client, kind, krakow, coordinator, slug_found_free_before_the_other_insert
):
    data = practice_form_data(krakow) if kind == "practice" else form_data(krakow)
    first = TYPES[kind]["draft"](krakow, data["title"]).document
    slug_found_free_before_the_other_insert.clear()
    client.force_login(coordinator)

    response = client.post(f"/en/my/{kind}s/new/", data)

    assert response.status_code == 302
    assert response["Location"] == f"/en/my/{kind}s/{first.slug}-2/"
    assert TYPES[kind]["model"].objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_creations_with_one_title_at_once_get_two_addresses(seeded_rows_back, kind, krakow):
    title = TYPES[kind]["title"]
    first, second = UserFactory(), UserFactory()
    krakow.coordinators.add(first, second)

    results = race(
        lambda: TYPES[kind]["draft"](krakow, title, by=first),
        lambda: TYPES[kind]["draft"](krakow, title, by=second),
    )

    assert refusals(results) == []
    slugs = sorted(TYPES[kind]["model"].objects.values_list("slug", flat=True))
    base = revisions.ascii_slug(title)
    assert slugs == [base, f"{base}-2"]
