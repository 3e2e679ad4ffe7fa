"""The files of practices: a page whose file storage lost a file still answers, stored documents
always end in .pdf (the migration that renames older ones)."""

import importlib
import logging
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from practices.models import PracticeAttachment, attachment_path
from tests.factories import image_upload, pdf_bytes, pdf_upload
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db

DETAIL = "/en/practices/reading-circles/"


def test_detail_with_attachment_shows_its_size(client, krakow, media_root):
    published_practice(krakow, "Reading circles", documents=[("Annual report", pdf_upload())])

    content = client.get(DETAIL).content.decode()

    assert re.search(
        r">Annual report</a> <span class=\"muted\">\(PDF, \d+\xa0bytes\)</span>", content
    )


def test_detail_with_missing_attachment_file_answers_without_size(
    client, krakow, media_root, caplog
):
    revision = published_practice(
        krakow, "Reading circles", documents=[("Annual report", pdf_upload())]
    )
    attachment = revision.attachments.get()
    (media_root / attachment.file.name).unlink()

    with caplog.at_level(logging.WARNING, logger="practices.models"):
        response = client.get(DETAIL)

    content = response.content.decode()
    assert response.status_code == 200
    assert '>Annual report</a> <span class="muted">(PDF)</span>' in content
    warnings = [record for record in caplog.records if record.name == "practices.models"]
    assert len(warnings) == 1
    assert attachment.file.name in warnings[0].getMessage()
    assert "missing" in warnings[0].getMessage()


def test_pages_with_missing_picture_files_answer(client, krakow, media_root):
    revision = published_practice(
        krakow,
        "Reading circles",
        image=image_upload(),
        image_alt="Children reading",
        image_credit="Photo: City of Kraków",
    )
    names = [revision.image.name, revision.image_card.name, revision.image_page.name]
    assert len(names) == 3
    for name in names:
        (media_root / name).unlink()

    detail = client.get(DETAIL)
    listing = client.get("/en/practices/")
    city = client.get(krakow.get_absolute_url())

    assert detail.status_code == listing.status_code == city.status_code == 200
    assert 'alt="Children reading"' in detail.content.decode()


# Stored names


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("report.pdf", "report.pdf"),
        ("probe.html", "probe.pdf"),
        ("probe.js", "probe.pdf"),
        ("Rapport annuel 2024 (Kraków).PDF", "rapport-annuel-2024-krakow.pdf"),
        ("...", None),
        (".htaccess", "htaccess.pdf"),
    ],
)
def test_attachment_path_generated_and_ends_in_pdf(uploaded, stored):
    path = attachment_path(None, uploaded)

    folder, name = re.fullmatch(r"documents/practices/([0-9a-f]{32})/([^/]+)", path).groups()
    assert name.endswith(".pdf")
    if stored:
        assert name == stored
    else:
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", name)


def test_attachment_uploaded_as_html_stored_as_pdf(krakow, media_root):
    revision = published_practice(
        krakow, "Reading circles", documents=[("Report", pdf_upload("probe.html"))]
    )

    name = revision.attachments.get().file.name
    assert name.endswith("/probe.pdf")
    assert (media_root / name).read_bytes() == pdf_bytes()


# practices/migrations/0009_stored_documents_end_in_pdf


def run_rename_migration():
    migration = importlib.import_module("practices.migrations.0009_stored_documents_end_in_pdf")
    migration.rename_to_pdf(apps, SimpleNamespace(connection=connection))


def test_migration_renames_stored_documents_to_pdf(krakow, media_root, caplog):
    revision = published_practice(
        krakow,
        "Reading circles",
        documents=[("Probe", pdf_upload()), ("Fine", pdf_upload()), ("Text", pdf_upload())],
    )
    probe, fine, text = revision.attachments.order_by("pk")
    folder = "documents/practices/0123456789abcdef0123456789abcdef"
    (media_root / folder).mkdir(parents=True)
    (media_root / f"{folder}/probe.html").write_bytes(b"<!-- %PDF- -->\n<script></script>")
    (media_root / f"{folder}/notes.txt").write_bytes(b"plain text")
    PracticeAttachment.objects.filter(pk=probe.pk).update(file=f"{folder}/probe.html")
    PracticeAttachment.objects.filter(pk=text.pk).update(file=f"{folder}/notes.txt")
    # A later draft copies its rows: both name the same file.
    PracticeAttachment.objects.create(revision=revision, title="Copy", file=f"{folder}/probe.html")

    with caplog.at_level(logging.WARNING, logger="practices.migrations"):
        run_rename_migration()

    probe.refresh_from_db()
    fine_before = fine.file.name
    fine.refresh_from_db()
    text.refresh_from_db()
    copy = PracticeAttachment.objects.get(title="Copy")
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\.pdf", probe.file.name)
    assert copy.file.name == probe.file.name
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\.pdf", text.file.name)
    assert text.file.name != probe.file.name
    assert fine.file.name == fine_before
    assert (media_root / probe.file.name).read_bytes() == b"<!-- %PDF- -->\n<script></script>"
    assert (media_root / text.file.name).read_bytes() == b"plain text"
    assert not (media_root / f"{folder}/probe.html").exists()
    assert not (media_root / f"{folder}/notes.txt").exists()
    logged = [record.getMessage() for record in caplog.records]
    assert len(logged) == 1
    assert "notes.txt is not a PDF" in logged[0]


def test_migration_renames_rows_of_a_missing_file(krakow, media_root, caplog):
    revision = published_practice(krakow, "Reading circles", documents=[("Gone", pdf_upload())])
    PracticeAttachment.objects.filter(revision=revision).update(file="documents/practices/x/a.htm")

    with caplog.at_level(logging.WARNING, logger="practices.migrations"):
        run_rename_migration()

    assert re.fullmatch(
        r"documents/practices/x/[0-9a-f]{32}\.pdf", revision.attachments.get().file.name
    )
    assert ["missing" in record.getMessage() for record in caplog.records] == [True]
