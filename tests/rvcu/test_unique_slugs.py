"""The public address of a practice or a partnership (its slug): made from the title when it
is first published, so that a draft's title is in no URL and an author never learns from a "-2"
that another city has a draft of the same title; renamed by the secretariat only, the old
address leading to the new one. For both document types."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from partnerships.models import Partnership
from practices.models import Practice
from rvcu import revisions
from rvcu.models import FormerAddress
from tests.factories import UserFactory
from tests.partnerships.factories import (
    draft_partnership,
    published_partnership,
    submitted_partnership,
)
from tests.partnerships.helpers import form_data, practice_form_data
from tests.practices.factories import (
    draft_practice,
    published_practice,
    secretariat,
    submitted_practice,
)
from tests.races import race, refusals

TYPES = {
    "practice": {
        "model": Practice,
        "draft": draft_practice,
        "submitted": submitted_practice,
        "published": published_practice,
        "title": "Music in the libraries",
        "form": practice_form_data,
    },
    "partnership": {
        "model": Partnership,
        "draft": draft_partnership,
        "submitted": submitted_partnership,
        "published": published_partnership,
        "title": "Literary residencies",
        "form": form_data,
    },
}


@pytest.fixture(params=list(TYPES))
def kind(request):
    return request.param


def publish(revision):
    revisions.publish(revision=revision, by=secretariat())
    document = revision.document
    document.refresh_from_db()
    return document


def rename(client, document, slug, *, by=None):
    """Change the address of `document` in the admin, as a superuser of the secretariat does
    (the reviewers' group may not change documents)."""
    admin = UserFactory._meta.model.objects.filter(email="admin@unesco.example").first()
    client.force_login(
        by or admin or UserFactory(is_staff=True, is_superuser=True, email="admin@unesco.example")
    )
    model = type(document)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{document.pk}/change/"
    former = "rvcu-formeraddress-content_type-object_id-"
    inline = {f"{former}TOTAL_FORMS": 0, f"{former}INITIAL_FORMS": 0}
    if model is Practice:
        data = {"city": document.city_id, "slug": slug, **inline}
    else:
        participations = list(document.participations.order_by("pk"))
        data = {
            "lead_city": document.lead_city_id,
            "slug": slug,
            "participations-TOTAL_FORMS": len(participations),
            "participations-INITIAL_FORMS": len(participations),
            **inline,
        }
        for index, participation in enumerate(participations):
            prefix = f"participations-{index}-"
            data.update(
                {
                    f"{prefix}id": participation.pk,
                    f"{prefix}partnership": document.pk,
                    f"{prefix}city": participation.city_id,
                    f"{prefix}role": participation.role,
                    f"{prefix}status": participation.status,
                }
            )
    return client.post(url, data)


# A draft has no address


@pytest.mark.django_db
def test_a_draft_has_no_address_and_its_title_is_in_no_url(client, kind, krakow, coordinator):
    client.force_login(coordinator)

    response = client.post(f"/en/my/{kind}s/new/", TYPES[kind]["form"](krakow))

    document = TYPES[kind]["model"].objects.get()
    assert document.slug is None
    assert document.get_absolute_url() is None
    assert response["Location"] == f"/en/my/{kind}s/{document.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert revisions.ascii_slug(document.latest_revision().title) not in page
    assert client.get(f"/en/{kind}s/None/").status_code == 404


@pytest.mark.django_db
def test_drafts_of_two_cities_with_one_title_do_not_learn_of_each_other(
    client, kind, krakow, dakar, coordinator
):
    title = TYPES[kind]["title"]
    TYPES[kind]["draft"](dakar, title)
    client.force_login(coordinator)

    response = client.post(f"/en/my/{kind}s/new/", TYPES[kind]["form"](krakow, title=title))

    mine = TYPES[kind]["model"].objects.order_by("pk").last()
    assert response["Location"] == f"/en/my/{kind}s/{mine.pk}/"
    assert mine.slug is None
    assert "-2" not in client.get(response["Location"]).content.decode()
    assert TYPES[kind]["model"].objects.exclude(slug=None).count() == 0


# The first publication makes the address


@pytest.mark.django_db
def test_the_first_publication_makes_the_address_from_the_title_then(
    client, kind, krakow, coordinator, django_capture_on_commit_callbacks
):
    krakow.coordinators.add(UserFactory(email="anna@krakow.example"))
    revision = TYPES[kind]["draft"](krakow, "First working title")
    revision.title = "Reading aloud in the parks"
    revision.save()
    revisions.author_transition(revision, "submit", by=secretariat(), allowed=True)

    with django_capture_on_commit_callbacks(execute=True):
        document = publish(revision)

    assert document.slug == "reading-aloud-in-the-parks"
    assert client.get(f"/en/{kind}s/reading-aloud-in-the-parks/").status_code == 200
    assert client.get(f"/en/{kind}s/first-working-title/").status_code == 404
    published_mails = [message for message in mail.outbox if "anna@krakow.example" in message.to]
    assert len(published_mails) == 1
    assert f"/en/{kind}s/reading-aloud-in-the-parks/" in published_mails[0].body


@pytest.mark.django_db
def test_a_later_publication_keeps_the_address(kind, krakow):
    document = TYPES[kind]["published"](krakow, "Reading aloud").document
    new = revisions.copy_as_draft(document.published_revision, by=secretariat())
    new.title = "Reading aloud, now in the parks"
    new.save()
    revisions.author_transition(new, "submit", by=secretariat(), allowed=True)

    assert publish(new).slug == "reading-aloud"


@pytest.mark.django_db
def test_a_published_title_taken_gets_the_next_address(kind, krakow, dakar):
    title = TYPES[kind]["title"]
    first = TYPES[kind]["published"](krakow, title).document
    second = TYPES[kind]["submitted"](dakar, title)

    assert publish(second).slug == f"{first.slug}-2"


@pytest.mark.django_db
def test_a_title_without_letters_gets_the_fallback_address(kind, krakow):
    document = TYPES[kind]["published"](krakow, "¿¡!?").document

    assert document.slug == kind


@pytest.fixture
def slug_found_free_before_the_other_write(monkeypatch):
    """The first slug looked for is the plain one, as if the other publication had not
    written its address yet when this one looked."""
    real = revisions.unique_slug
    calls = []

    def unique_slug(model, text):
        calls.append(text)
        if len(calls) == 1:
            return revisions.ascii_slug(text)
        return real(model, text)

    monkeypatch.setattr(revisions, "unique_slug", unique_slug)
    return calls


@pytest.mark.django_db
def test_an_address_taken_meanwhile_gives_the_next_free_one(
    kind, krakow, dakar, slug_found_free_before_the_other_write
):
    title = TYPES[kind]["title"]
    first = TYPES[kind]["published"](krakow, title).document
    second = TYPES[kind]["submitted"](dakar, title)
    slug_found_free_before_the_other_write.clear()

    document = publish(second)

    assert len(slug_found_free_before_the_other_write) == 2
    assert first.slug == revisions.ascii_slug(title)
    assert document.slug == f"{first.slug}-2"
    assert document.published_revision == second


@pytest.mark.django_db(transaction=True)
def test_two_publications_with_one_title_at_once_get_two_addresses(
    seeded_rows_back, kind, krakow, dakar
):
    title = TYPES[kind]["title"]
    first = TYPES[kind]["submitted"](krakow, title)
    second = TYPES[kind]["submitted"](dakar, title)
    staff = secretariat()

    results = race(
        lambda: revisions.publish(revision=first, by=staff),
        lambda: revisions.publish(revision=second, by=staff),
    )

    assert refusals(results) == []
    slugs = sorted(TYPES[kind]["model"].objects.values_list("slug", flat=True))
    base = revisions.ascii_slug(title)
    assert slugs == [base, f"{base}-2"]


# A rename by the secretariat


@pytest.mark.django_db
def test_a_rename_keeps_the_old_address_answering_301(client, kind, krakow):
    document = TYPES[kind]["published"](krakow, "Reading aloud").document

    response = rename(client, document, "reading-aloud-in-krakow")

    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert document.slug == "reading-aloud-in-krakow"
    client.logout()
    old = client.get(f"/en/{kind}s/reading-aloud/")
    assert old.status_code == 301
    assert old["Location"] == f"/en/{kind}s/reading-aloud-in-krakow/"
    assert client.get(f"/fr/{kind}s/reading-aloud/")["Location"] == (
        f"/fr/{kind}s/reading-aloud-in-krakow/"
    )
    assert client.get(old["Location"]).status_code == 200


@pytest.mark.django_db
def test_renamed_twice_and_back_every_old_address_leads_to_the_current_one(client, kind, krakow):
    document = TYPES[kind]["published"](krakow, "Reading aloud").document
    rename(client, document, "second-name")
    rename(client, document, "third-name")

    assert client.get(f"/en/{kind}s/reading-aloud/")["Location"] == f"/en/{kind}s/third-name/"
    assert client.get(f"/en/{kind}s/second-name/")["Location"] == f"/en/{kind}s/third-name/"

    rename(client, document, "reading-aloud")

    assert client.get(f"/en/{kind}s/reading-aloud/").status_code == 200
    assert client.get(f"/en/{kind}s/third-name/")["Location"] == f"/en/{kind}s/reading-aloud/"
    former = FormerAddress.objects.filter(
        content_type=ContentType.objects.get_for_model(TYPES[kind]["model"])
    )
    assert sorted(former.values_list("slug", flat=True)) == ["second-name", "third-name"]
    model = TYPES[kind]["model"]
    change_page = client.get(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/{document.pk}/change/"
    ).content.decode()
    assert "Former addresses" in change_page
    assert "second-name" in change_page


@pytest.mark.django_db
def test_a_new_publication_never_takes_a_former_address(client, kind, krakow, dakar):
    title = TYPES[kind]["title"]
    renamed = TYPES[kind]["published"](krakow, title).document
    rename(client, renamed, "renamed")

    other = publish(TYPES[kind]["submitted"](dakar, title))

    assert other.slug == f"{revisions.ascii_slug(title)}-2"
    assert client.get(f"/en/{kind}s/{revisions.ascii_slug(title)}/")["Location"] == (
        f"/en/{kind}s/renamed/"
    )


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_or_taken_address(client, kind, krakow, dakar):
    title = TYPES[kind]["title"]
    first = TYPES[kind]["published"](krakow, title).document
    second = TYPES[kind]["published"](dakar, "Another one").document
    rename(client, first, "renamed")

    for slug, error in [
        ("Not a slug!", "Enter a valid “slug”"),
        ("", "A published item needs an address."),
        ("renamed", "already exists"),
        (revisions.ascii_slug(title), "used to be another item"),
    ]:
        response = rename(client, second, slug)
        assert response.status_code == 200, slug
        assert error in response.content.decode(), slug
    second.refresh_from_db()
    assert second.slug == "another-one"


@pytest.mark.django_db
def test_a_reviewer_cannot_rename(client, kind, krakow):
    document = TYPES[kind]["published"](krakow, "Reading aloud").document

    response = rename(client, document, "renamed", by=secretariat())

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.slug == "reading-aloud"
    assert not FormerAddress.objects.exists()


@pytest.mark.django_db
def test_the_address_of_a_draft_cannot_be_set_in_the_admin(client, kind, krakow):
    document = TYPES[kind]["draft"](krakow).document

    rename(client, document, "chosen-before-publication")

    document.refresh_from_db()
    assert document.slug is None
    assert not FormerAddress.objects.exists()


@pytest.mark.django_db
def test_a_former_address_of_an_archived_document_is_404(client, kind, krakow):
    document = TYPES[kind]["published"](krakow, "Reading aloud").document
    rename(client, document, "renamed")
    revisions.archive(revision=document.published_revision, by=secretariat())
    client.logout()

    assert client.get(f"/en/{kind}s/reading-aloud/").status_code == 404
    assert client.get(f"/en/{kind}s/renamed/").status_code == 404


@pytest.mark.django_db
def test_the_admin_links_to_the_public_page_of_published_documents_only(client, kind, krakow):
    draft = TYPES[kind]["draft"](krakow, "Still a draft")
    published = TYPES[kind]["published"](krakow, "Online now")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    model = TYPES[kind]["model"]
    label, name = model._meta.app_label, model._meta.model_name

    for admin_url in [
        f"/admin/{label}/{name}/{draft.document.pk}/change/",
        f"/admin/{label}/{name}revision/{draft.pk}/change/",
    ]:
        page = client.get(admin_url).content.decode()
        assert 'class="viewsitelink"' not in page, admin_url
    for admin_url in [
        f"/admin/{label}/{name}/{published.document.pk}/change/",
        f"/admin/{label}/{name}revision/{published.pk}/change/",
    ]:
        page = client.get(admin_url).content.decode()
        assert f'href="/en/{kind}s/online-now/" class="viewsitelink"' in page, admin_url


@pytest.mark.django_db
def test_deleting_a_renamed_document_frees_its_old_addresses(client, kind, krakow):
    document = TYPES[kind]["published"](krakow, "Reading aloud").document
    rename(client, document, "renamed")
    assert FormerAddress.objects.count() == 1

    document.delete()

    assert not FormerAddress.objects.exists()
    assert not revisions.slug_taken(TYPES[kind]["model"], "reading-aloud")
