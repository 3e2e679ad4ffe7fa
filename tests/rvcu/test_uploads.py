"""KeptUploadsFormMixin: a picture survives a form error, for its owner only, cleaned and under a
generated name, in the private storage that is never served."""

import io
import os
import re
import time

import pytest
from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import ExifTags, Image

from rvcu.fields import PdfFormField
from rvcu.uploads import (
    KEPT_UPLOADS_DIR,
    KeptUploadsFormMixin,
    delete_expired_kept_uploads,
    kept_uploads_storage,
)
from tests.factories import image_upload, pdf_bytes, pdf_upload

SALT = "rvcu.kept-upload"  # rvcu.uploads._SALT
OWNER = 7


class PictureForm(KeptUploadsFormMixin, forms.Form):
    title = forms.CharField()
    image = forms.ImageField()

    kept_upload_fields = ("image",)


def form_with_error(owner_id=OWNER, name="kept.png"):
    """A form whose title is missing and whose picture is fine: the picture is kept."""
    form = PictureForm({"title": ""}, {"image": image_upload(name)}, owner_id=owner_id)
    assert not form.is_valid()
    return form


def resubmit(token, owner_id=OWNER):
    return PictureForm({"title": "Fixed", "image_kept": token}, {}, owner_id=owner_id)


def token_for(path, owner=OWNER):
    return signing.dumps({"path": path, "owner": owner}, salt=SALT)


def is_webp(content):
    with Image.open(io.BytesIO(content)) as image:
        return image.format == "WEBP"


def test_kept_upload_error_stores_picture_and_signs_its_path(media_root, private_media_root):
    form = form_with_error()

    value = signing.loads(form.data["image_kept"], salt=SALT)
    assert value["owner"] == OWNER
    assert value["name"] == "kept.png"
    assert re.fullmatch(rf"{KEPT_UPLOADS_DIR}/[0-9a-f]{{32}}/[0-9a-f]{{32}}\.webp", value["path"])
    assert is_webp((private_media_root / value["path"]).read_bytes())
    assert not (media_root / KEPT_UPLOADS_DIR).exists(), "never in the served media"
    assert form.kept_names == {"image": "kept.png"}
    assert 'name="image_kept"' in str(form["image_kept"])


def test_kept_upload_picture_loses_its_gps_position_and_metadata(private_media_root):
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Jane Photographer"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), "image/jpeg")
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    form = PictureForm({"title": ""}, {"image": upload}, owner_id=OWNER)
    assert not form.is_valid()

    kept = (private_media_root / kept_path(form)).read_bytes()
    assert b"Jane Photographer" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "WEBP"
        assert image.size == (30, 20)
        assert not image.getexif()
        assert "exif" not in image.info


def test_kept_upload_resubmit_without_file_uses_kept_picture(media_root):
    token = form_with_error().data["image_kept"]

    form = resubmit(token)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["image"].name == "kept.png"
    assert is_webp(form.cleaned_data["image"].read())
    assert form.kept_names == {"image": "kept.png"}


def test_kept_upload_valid_form_keeps_nothing(private_media_root):
    form = PictureForm({"title": "Fine"}, {"image": image_upload()}, owner_id=OWNER)

    assert form.is_valid()
    assert not form.data.get("image_kept")
    assert not (private_media_root / KEPT_UPLOADS_DIR).exists()


def test_kept_upload_invalid_picture_is_not_kept(private_media_root):
    fake = SimpleUploadedFile("x.png", b"plain text", "image/png")

    form = PictureForm({"title": ""}, {"image": fake}, owner_id=OWNER)

    assert not form.is_valid()
    assert "image" in form.errors
    assert not form.data.get("image_kept")
    assert form.kept_names == {}
    assert not (private_media_root / KEPT_UPLOADS_DIR).exists()


def test_kept_upload_new_file_wins_over_token(media_root):
    token = form_with_error(name="old.png").data["image_kept"]

    form = PictureForm(
        {"title": "Fixed", "image_kept": token},
        {"image": image_upload("new.png", size=(4, 4))},
        owner_id=OWNER,
    )

    assert form.is_valid()
    assert form.cleaned_data["image"].name == "new.png"
    assert form.kept_names == {}


def test_kept_upload_token_of_another_owner_is_ignored(media_root):
    token = form_with_error(owner_id=OWNER).data["image_kept"]

    form = resubmit(token, owner_id=OWNER + 1)

    assert not form.is_valid()
    assert form.errors["image"] == ["This field is required."]
    assert form.kept_names == {}


def test_kept_upload_token_of_anonymous_owner_is_ignored_for_a_person(media_root):
    token = form_with_error(owner_id=None).data["image_kept"]

    form = resubmit(token, owner_id=OWNER)

    assert not form.is_valid()
    assert "image" in form.errors


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(":", ";", 1),
        lambda token: "not-a-token",
    ],
    ids=["signature", "separator", "garbage"],
)
def test_kept_upload_tampered_token_is_ignored(media_root, tamper):
    token = form_with_error().data["image_kept"]

    form = resubmit(tamper(token))

    assert not form.is_valid()
    assert form.errors["image"] == ["This field is required."]
    assert form.kept_names == {}


def test_kept_upload_token_signed_with_other_salt_is_ignored(media_root):
    path = kept_uploads_storage().save(f"{KEPT_UPLOADS_DIR}/abc/kept.png", image_upload())
    token = signing.dumps({"path": path, "owner": OWNER}, salt="another-purpose")

    form = resubmit(token)

    assert not form.is_valid()
    assert "image" in form.errors


def test_kept_upload_expired_token_is_ignored(media_root, monkeypatch):
    token = form_with_error().data["image_kept"]
    day_and_hour_later = time.time() + 25 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: day_and_hour_later)

    form = resubmit(token)

    assert not form.is_valid()
    assert "image" in form.errors


@pytest.mark.parametrize(
    "path", ["cities/secret.png", "other/kept-uploads/secret.png", "/etc/passwd", ""]
)
def test_kept_upload_token_path_outside_kept_uploads_is_rejected(media_root, path):
    if path.startswith(("cities/", "other/")):
        kept_uploads_storage().save(path, image_upload())

    form = resubmit(token_for(path))

    assert not form.is_valid()
    assert "image" in form.errors
    assert form.kept_names == {}


def test_kept_upload_token_path_inside_kept_uploads_is_used(media_root):
    path = kept_uploads_storage().save(f"{KEPT_UPLOADS_DIR}/abc/own.png", image_upload())

    form = resubmit(token_for(path))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["image"].name == "own.png"


def test_kept_upload_token_for_vanished_file_is_ignored(media_root):
    token = token_for(f"{KEPT_UPLOADS_DIR}/gone/kept.png")

    form = resubmit(token)

    assert not form.is_valid()
    assert "image" in form.errors


def test_kept_upload_with_prefix_uses_prefixed_names(media_root):
    form = PictureForm(
        {"city-title": ""}, {"city-image": image_upload()}, owner_id=OWNER, prefix="city"
    )
    assert not form.is_valid()
    token = form.data["city-image_kept"]

    again = PictureForm(
        {"city-title": "Fixed", "city-image_kept": token}, {}, owner_id=OWNER, prefix="city"
    )

    assert again.is_valid(), again.errors


def kept_path(form):
    return signing.loads(form.data["image_kept"], salt=SALT)["path"]


def test_cleanup_deletes_kept_uploads_older_than_a_day_only(private_media_root):
    old = kept_path(form_with_error(name="old.png"))
    recent = kept_path(form_with_error(name="recent.png"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(private_media_root / old, (two_days_ago, two_days_ago))

    output = io.StringIO()
    call_command("clean_kept_uploads", stdout=output)

    assert "1 expired kept upload(s) deleted." in output.getvalue()
    assert not (private_media_root / old).exists()
    assert not (private_media_root / old).parent.exists(), "its empty folder goes too"
    assert is_webp((private_media_root / recent).read_bytes())


def test_cleanup_deletes_every_kept_upload_left_in_the_served_media(media_root):
    """Earlier versions kept uploads as uploaded in MEDIA_ROOT: none may stay there."""
    left = default_storage.save(f"{KEPT_UPLOADS_DIR}/abc/IMG_0001.jpg", image_upload())
    assert (media_root / left).exists()

    assert delete_expired_kept_uploads() == 1
    assert not (media_root / KEPT_UPLOADS_DIR / "abc").exists()


def test_kept_upload_token_for_a_file_in_the_served_media_is_ignored(media_root):
    path = default_storage.save(f"{KEPT_UPLOADS_DIR}/abc/kept.png", image_upload())

    form = resubmit(token_for(path))

    assert not form.is_valid()
    assert "image" in form.errors


def test_cleanup_without_kept_uploads_deletes_nothing(media_root):
    assert delete_expired_kept_uploads() == 0


class DocumentForm(KeptUploadsFormMixin, forms.Form):
    title = forms.CharField()
    document = PdfFormField()

    kept_upload_fields = ("document",)


@pytest.mark.parametrize("name", ["report.pdf", "probe.html", "report"])
def test_kept_upload_pdf_stored_under_generated_pdf_name(media_root, private_media_root, name):
    content = pdf_bytes()
    form = DocumentForm({"title": ""}, {"document": pdf_upload(name, content)}, owner_id=OWNER)
    assert not form.is_valid()

    value = signing.loads(form.data["document_kept"], salt=SALT)
    assert re.fullmatch(rf"{KEPT_UPLOADS_DIR}/[0-9a-f]{{32}}/[0-9a-f]{{32}}\.pdf", value["path"])
    assert (private_media_root / value["path"]).read_bytes() == content
    assert not (media_root / KEPT_UPLOADS_DIR).exists()
    assert form.kept_names == {"document": name}

    again = DocumentForm(
        {"title": "Fixed", "document_kept": form.data["document_kept"]}, {}, owner_id=OWNER
    )
    assert again.is_valid(), again.errors
    assert again.cleaned_data["document"].read() == content
