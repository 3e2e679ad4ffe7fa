"""rvcu.media: no uploaded file is ever served as a page, an SVG or a script, and the files of
archived revisions only to staff."""

import pytest
from django.test import RequestFactory
from django.urls import path

from rvcu import media
from rvcu.storage import check_private_media_not_served
from rvcu.urls import urlpatterns as portal_urlpatterns
from tests.factories import UserFactory

# The development media view is only routed when DEBUG is on: these tests route it themselves.
urlpatterns = [path("media/<path:path>", media.serve_media), *portal_urlpatterns]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

SANDBOX = "default-src 'none'; sandbox"


def stored(media_root, name, content=b"content"):
    file = media_root / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(content)
    return file


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [
        ("pictures/a.webp", "image/webp", 'inline; filename="a.webp"'),
        ("pictures/a.jpg", "image/jpeg", 'inline; filename="a.jpg"'),
        ("pictures/a.JPEG", "image/jpeg", 'inline; filename="a.JPEG"'),
        ("pictures/a.png", "image/png", 'inline; filename="a.png"'),
        ("documents/x/report.pdf", "application/pdf", 'attachment; filename="report.pdf"'),
        ("documents/x/probe.html", "application/octet-stream", 'attachment; filename="probe.html"'),
        ("documents/x/probe.htm", "application/octet-stream", 'attachment; filename="probe.htm"'),
        ("documents/x/probe.svg", "application/octet-stream", 'attachment; filename="probe.svg"'),
        ("documents/x/probe.js", "application/octet-stream", 'attachment; filename="probe.js"'),
        ("documents/x/probe.xml", "application/octet-stream", 'attachment; filename="probe.xml"'),
        ("documents/x/noext", "application/octet-stream", 'attachment; filename="noext"'),
    ],
)
def test_media_type_from_allow_list_with_sandbox_and_nosniff(
    client, media_root, name, content_type, disposition
):
    stored(media_root, name, b"<html><script>alert(document.cookie)</script></html>")

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.get("Content-Disposition") == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert body(response) == b"<html><script>alert(document.cookie)</script></html>"


@pytest.mark.parametrize("name", ["probe.html", "probe.svg", "probe.xhtml", "probe.pdf.html"])
def test_media_html_or_svg_never_served_as_such(media_root, name):
    """The probe's files, called directly: the headers are the view's own, not middleware's."""
    stored(media_root, f"documents/x/{name}", b"<svg xmlns='http://www.w3.org/2000/svg'/>")

    response = media.serve_media(RequestFactory().get("/"), f"documents/x/{name}")

    assert response["Content-Type"] not in ("text/html", "image/svg+xml")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    response.close()


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "../../etc/passwd",
        "%2e%2e/secret.txt",
        "documents",
        "missing.pdf",
        "/etc/passwd",
    ],
)
def test_media_outside_root_missing_or_folder_is_404(client, media_root, path):
    stored(media_root, "documents/x/report.pdf")
    (media_root.parent / "secret.txt").write_bytes(b"TOPSECRET-4f1a")

    response = client.get(f"/media/{path}")

    assert response.status_code == 404
    assert b"TOPSECRET-4f1a" not in response.content


def test_media_post_refused(client, media_root):
    stored(media_root, "pictures/a.webp")

    assert client.post("/media/pictures/a.webp").status_code == 405


def test_media_head_answers_headers(client, media_root):
    stored(media_root, "documents/x/report.pdf")

    response = client.head("/media/documents/x/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == SANDBOX
    response.close()


# /retired-media/: files of archived revisions, in the private storage.

RETIRED = "/retired-media/documents/practices/abc/report.pdf"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("coordinator", 404), ("other-coordinator", 404), ("staff", 200)],
)
def test_retired_file_for_staff_only(client, log_in_as, private_media_root, role, status):
    stored(private_media_root, "retired/documents/practices/abc/report.pdf", b"%PDF-1.4 ...")
    log_in_as(role)

    response = client.get(RETIRED)

    assert response.status_code == status
    if status == 200:
        assert body(response) == b"%PDF-1.4 ..."
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert response["Content-Security-Policy"] == SANDBOX
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert b"%PDF" not in response.content


def test_retired_file_inactive_staff_gets_404(client, private_media_root):
    stored(private_media_root, "retired/documents/practices/abc/report.pdf")
    client.force_login(UserFactory(is_staff=True, is_active=False))

    assert client.get(RETIRED).status_code == 404


@pytest.mark.parametrize(
    "path", ["../kept-uploads/abc/kept.webp", "..%2fkept-uploads/abc/kept.webp", "missing.pdf"]
)
def test_retired_file_never_serves_other_private_files(
    client, staff_user, private_media_root, path
):
    stored(private_media_root, "kept-uploads/abc/kept.webp", b"PRIVATE-9c2e")
    client.force_login(staff_user)

    response = client.get(f"/retired-media/{path}")

    assert response.status_code == 404
    assert b"PRIVATE-9c2e" not in response.content


@pytest.mark.parametrize(
    ("private", "errors"),
    [("private-media", []), ("media/private", ["rvcu.E010"]), ("media", ["rvcu.E010"])],
)
def test_private_media_inside_served_media_is_a_check_error(settings, tmp_path, private, errors):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RVCU_PRIVATE_MEDIA_ROOT = tmp_path / private

    assert [error.id for error in check_private_media_not_served()] == errors
