"""Keep a file a person uploaded when the rest of their form has an error.

Browsers never send a file input back, so without this a form error would lose the picture.
A valid upload on a form with errors is stored under `kept-uploads/` and named in a signed
hidden field; when the form comes back without a new file, the kept one is used.
"""

import mimetypes
import uuid
from pathlib import PurePosixPath

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import number_format

KEPT_UPLOADS_DIR = "kept-uploads"
_SALT = "rvcu.kept-upload"
_MAX_AGE_SECONDS = 24 * 3600


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
        for name in self.kept_upload_fields:
            token = self.data.get(self.add_prefix(f"{name}_kept"))
            if not token or self.files.get(self.add_prefix(name)):
                continue
            path = self._path_from_token(token)
            if path and default_storage.exists(path):
                with default_storage.open(path) as stored:
                    content = stored.read()
                filename = PurePosixPath(path).name
                content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                self.files[self.add_prefix(name)] = SimpleUploadedFile(
                    filename, content, content_type
                )
                self.kept_names[name] = filename

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
            upload.seek(0)
            filename = PurePosixPath(upload.name).name
            path = default_storage.save(f"{KEPT_UPLOADS_DIR}/{uuid.uuid4().hex}/{filename}", upload)
            data[self.add_prefix(f"{name}_kept")] = signing.dumps(
                {"path": path, "owner": self.owner_id}, salt=_SALT
            )
            self.kept_names[name] = filename
        self.data = data

    def _path_from_token(self, token):
        try:
            value = signing.loads(token, salt=_SALT, max_age=_MAX_AGE_SECONDS)
        except signing.BadSignature:
            return None
        if value.get("owner") != self.owner_id:
            return None
        path = str(value.get("path", ""))
        parts = PurePosixPath(path).parts
        if len(parts) < 2 or parts[0] != KEPT_UPLOADS_DIR or ".." in parts:
            return None
        return path


def delete_expired_kept_uploads(*, now=None):
    """Delete the kept uploads older than their token's life (nobody can use them any more);
    returns how many files went. Run daily (`manage.py clean_kept_uploads`)."""
    now = now or timezone.now()
    deleted = 0
    if not default_storage.exists(KEPT_UPLOADS_DIR):
        return deleted
    folders, _files = default_storage.listdir(KEPT_UPLOADS_DIR)
    for folder in folders:
        folder_path = f"{KEPT_UPLOADS_DIR}/{folder}"
        for filename in default_storage.listdir(folder_path)[1]:
            path = f"{folder_path}/{filename}"
            age = now - default_storage.get_modified_time(path)
            if age.total_seconds() > _MAX_AGE_SECONDS:
                default_storage.delete(path)
                deleted += 1
        if default_storage.listdir(folder_path) == ([], []):
            default_storage.delete(folder_path)
    return deleted


def megabytes(size):
    """A size in bytes as a number of megabytes for messages: 5, 1.4."""
    value = round(size / 1024 / 1024, 1)
    return number_format(int(value) if value.is_integer() else value)
