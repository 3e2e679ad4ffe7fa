"""Keep a file a person uploaded when the rest of their form has an error.

Browsers never send a file input back, so without this a form error would lose the picture.
A valid upload on a form with errors is stored under `kept-uploads/` of the private storage
(never served, see rvcu/storage.py) under a generated name, and named in a signed hidden field
with the person's file name (shown on the page, nothing else); when the form comes back without
a new file, the kept one is used. A picture is kept as cleaned as a stored one (upright,
re-encoded, without EXIF or GPS position: rvcu.images.process_image); a PDF, already checked,
as it is.
"""

import mimetypes
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import number_format

KEPT_UPLOADS_DIR = "kept-uploads"
_SALT = "rvcu.kept-upload"
_MAX_AGE_SECONDS = 24 * 3600


def kept_uploads_storage():
    return storages["private"]


class KeptUploadsFormMixin:
    """A form whose file fields in `kept_upload_fields` survive errors; give it `owner_id`."""

    kept_upload_fields = ()

    def __init__(self, *args, owner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id = owner_id
        self.kept_names = {}
        for name in self.kept_upload_fields:
            self.fields[f"{name}_kept"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if self.is_bound:
            self._restore_kept_uploads()

    def _restore_kept_uploads(self):
        self.files = self.files.copy()
        storage = kept_uploads_storage()
        for name in self.kept_upload_fields:
            token = self.data.get(self.add_prefix(f"{name}_kept"))
            if not token or self.files.get(self.add_prefix(name)):
                continue
            kept = self._kept_from_token(token)
            if kept and storage.exists(kept["path"]):
                with storage.open(kept["path"]) as stored:
                    content = stored.read()
                content_type = mimetypes.guess_type(kept["path"])[0] or "application/octet-stream"
                self.files[self.add_prefix(name)] = SimpleUploadedFile(
                    kept["name"], content, content_type
                )
                self.kept_names[name] = kept["name"]

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self.keep_uploads()

    def keep_uploads(self):
        """Keep the valid uploads for the page shown again: called when this form has errors,
        and by whoever shows it again for another reason (an error elsewhere on the page, or
        raised when saving)."""
        if not self.is_bound:
            return
        data = self.data.copy()
        for name in self.kept_upload_fields:
            upload = self.files.get(self.add_prefix(name))
            if not upload or name in self._errors or name in self.kept_names:
                continue
            content = self._kept_content(self.fields[name], upload)
            if content is None:
                continue
            path = kept_uploads_storage().save(
                f"{KEPT_UPLOADS_DIR}/{uuid.uuid4().hex}/{content.name}", content
            )
            filename = PurePosixPath(upload.name).name
            data[self.add_prefix(f"{name}_kept")] = signing.dumps(
                {"path": path, "owner": self.owner_id, "name": filename}, salt=_SALT
            )
            self.kept_names[name] = filename
        self.data = data

    @staticmethod
    def _kept_content(field, upload):
        """What is stored of `upload` (a file named by us), or None if it cannot be kept."""
        # rvcu.images and rvcu.documents (under rvcu.fields) use this module's megabytes():
        # imported here, not at the top.
        from .fields import PdfFormField
        from .images import process_image, validate_image_upload

        if isinstance(field, forms.ImageField):
            try:
                validate_image_upload(upload)
            except ValidationError:
                return None
            return process_image(upload).master
        upload.seek(0)
        suffix = ".pdf" if isinstance(field, PdfFormField) else ""
        return SimpleUploadedFile(f"{uuid.uuid4().hex}{suffix}", upload.read())

    def _kept_from_token(self, token):
        """The kept file's path and the person's file name, from a token that is theirs."""
        try:
            value = signing.loads(token, salt=_SALT, max_age=_MAX_AGE_SECONDS)
        except signing.BadSignature:
            return None
        if not isinstance(value, dict) or value.get("owner") != self.owner_id:
            return None
        path = str(value.get("path", ""))
        parts = PurePosixPath(path).parts
        if len(parts) < 2 or parts[0] != KEPT_UPLOADS_DIR or ".." in parts:
            return None
        return {"path": path, "name": str(value.get("name") or parts[-1])}


def _delete_kept_uploads(storage, *, older_than):
    deleted = 0
    # Not exists(): object storage has no folders, only names that start alike, so a folder
    # never "exists" there, while listing it works.
    try:
        folders, _files = storage.listdir(KEPT_UPLOADS_DIR)
    except FileNotFoundError:
        return deleted
    for folder in folders:
        folder_path = f"{KEPT_UPLOADS_DIR}/{folder}"
        for filename in storage.listdir(folder_path)[1]:
            path = f"{folder_path}/{filename}"
            if older_than is None or storage.get_modified_time(path) < older_than:
                storage.delete(path)
                deleted += 1
        if storage.listdir(folder_path) == ([], []):
            storage.delete(folder_path)
    return deleted


def delete_expired_kept_uploads(*, now=None):
    """Delete the kept uploads older than their token's life (nobody can use them any more),
    and any left in the public media by earlier versions (kept as uploaded, GPS position
    included); returns how many files went. Run daily (`manage.py clean_kept_uploads`)."""
    now = now or timezone.now()
    expired = now - timedelta(seconds=_MAX_AGE_SECONDS)
    deleted = _delete_kept_uploads(kept_uploads_storage(), older_than=expired)
    return deleted + _delete_kept_uploads(default_storage, older_than=None)


def megabytes(size):
    """A size in bytes as a number of megabytes for messages: 5, 1.4."""
    value = round(size / 1024 / 1024, 1)
    return number_format(int(value) if value.is_integer() else value)
