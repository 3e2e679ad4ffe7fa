"""rvcu.retired_files: the files of archived or replaced revisions stop being served once no live
revision names them; staff still open them; a new draft from an archived revision gets its own
public copies."""

import pytest
from django.core.files.storage import default_storage

from partnerships import services as partnership_services
from practices import services
from practices.models import PracticeRevision
from rvcu.retired_files import retire_unused_files
from rvcu.review import ReviewState
from tests.factories import image_upload, pdf_bytes, pdf_upload
from tests.partnerships.factories import published_partnership
from tests.practices.factories import published_practice, secretariat

pytestmark = pytest.mark.django_db

PICTURE = {"image_alt": "Children reading", "image_credit": "Photo: City of Kraków"}


def picture(colour):
    return {"image": image_upload(colour=colour), **PICTURE}


def file_names(revision):
    revision.refresh_from_db()
    names = [revision.image.name, revision.image_card.name, revision.image_page.name]
    names += [attachment.file.name for attachment in revision.attachments.order_by("pk")]
    return names


def publish_new_revision(revision, coordinator=None, **content):
    by = secretariat()
    draft = services.practice_update(practice=revision.practice, by=by, **content)
    services.practice_submit(revision=draft, by=by)
    services.practice_publish(revision=draft, by=by)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def first(krakow, media_root):
    return published_practice(
        krakow,
        "Reading circles",
        documents=[("Annual report", pdf_upload())],
        **picture((200, 40, 40)),
    )


def test_replaced_revision_files_leave_the_media_when_no_longer_used(
    client, first, media_root, private_media_root, django_capture_on_commit_callbacks
):
    old = file_names(first)
    old_attachment = first.attachments.get()
    assert len(old) == 4
    assert all((media_root / name).is_file() for name in old)

    with django_capture_on_commit_callbacks(execute=True):
        second = publish_new_revision(
            first,
            remove_documents=[old_attachment.file.name],
            documents=[("Evaluation", pdf_upload("evaluation.pdf"))],
            **picture((10, 120, 200)),
        )

    first.refresh_from_db()
    assert first.state == ReviewState.ARCHIVED
    retired = file_names(first)
    assert retired == [f"retired/{name}" for name in old]
    for old_name, retired_name in zip(old, retired, strict=True):
        assert not (media_root / old_name).exists(), "no longer served"
        assert (private_media_root / retired_name).is_file()
    assert (private_media_root / retired[3]).read_bytes() == pdf_bytes()
    assert all((media_root / name).is_file() for name in file_names(second))
    for name in old:
        assert client.get(f"/media/{name}").status_code == 404


def test_replaced_revision_files_still_used_by_the_new_one_stay(
    first, media_root, django_capture_on_commit_callbacks
):
    old = file_names(first)

    with django_capture_on_commit_callbacks(execute=True):
        second = publish_new_revision(first, summary="Reading circles in every district.")

    assert file_names(second) == old
    assert file_names(first) == old
    assert all((media_root / name).is_file() for name in old)


def test_archived_revision_files_used_by_a_draft_stay(
    first, media_root, django_capture_on_commit_callbacks
):
    old = file_names(first)
    services.practice_update(practice=first.practice, by=secretariat(), summary="Next version.")

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=first, by=secretariat())

    assert file_names(first) == old
    assert all((media_root / name).is_file() for name in old)


def test_archived_practice_files_retired_and_opened_by_staff_only(
    client, first, log_in_as, media_root, private_media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=first, by=secretariat())

    names = file_names(first)
    assert len(names) == 4
    assert all(name.startswith("retired/") for name in names)
    url = first.attachments.get().file.url
    assert url.startswith("/retired-media/documents/practices/")

    assert client.get(url).status_code == 404
    log_in_as("coordinator")
    assert client.get(url).status_code == 404
    log_in_as("staff")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    image = client.get(first.image_page.url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/webp"
    image.close()


def test_admin_shows_archived_revision_files_through_the_staff_view(
    client, first, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=first, by=secretariat())
    first.refresh_from_db()
    client.force_login(staff_user)

    content = client.get(f"/admin/practices/practicerevision/{first.pk}/change/").content.decode()

    assert f'href="{first.image.url}"' in content
    assert f'href="{first.attachments.get().file.url}"' in content
    assert first.image.url.startswith("/retired-media/pictures/")


def test_new_draft_of_an_archived_practice_gets_new_public_copies(
    first, media_root, private_media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=first, by=secretariat())
    retired = file_names(first)

    draft = services.practice_update(practice=first.practice, by=secretariat(), summary="Again.")

    copies = file_names(draft)
    assert len(copies) == 4
    for retired_name, copy in zip(retired, copies, strict=True):
        assert not copy.startswith("retired/")
        assert copy != retired_name.removeprefix("retired/"), "the old address stays dead"
        assert (media_root / copy).read_bytes() == (private_media_root / retired_name).read_bytes()
    assert file_names(first) == retired


def test_retire_is_robust_when_a_file_is_missing(first, media_root, caplog):
    default_storage.delete(first.image_card.name)
    PracticeRevision.objects.filter(pk=first.pk).update(state=ReviewState.ARCHIVED)

    assert retire_unused_files(first) == 3

    names = file_names(first)
    assert names[1] == first.image_card.name
    assert not names[1].startswith("retired/")
    assert "missing" in caplog.text


def test_retire_leaves_a_revision_that_is_no_longer_archived(first):
    assert retire_unused_files(first) == 0
    assert not any(name.startswith("retired/") for name in file_names(first))


def test_replaced_partnership_picture_retired_with_its_renditions(
    krakow, media_root, private_media_root, django_capture_on_commit_callbacks
):
    revision = published_partnership(krakow, **picture((200, 40, 40)))
    old = [revision.image.name, revision.image_card.name, revision.image_page.name]
    assert all((media_root / name).is_file() for name in old)

    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_archive(revision=revision, by=secretariat())

    revision.refresh_from_db()
    retired = [revision.image.name, revision.image_card.name, revision.image_page.name]
    assert retired == [f"retired/{name}" for name in old]
    assert not any((media_root / name).exists() for name in old)
    assert all((private_media_root / name).is_file() for name in retired)
