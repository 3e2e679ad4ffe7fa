"""Where uploaded files live.

`default` (MediaStorage) is MEDIA_ROOT, or a public bucket when RVCU_MEDIA_STORAGE=s3: served to
anyone who knows a file's address (by nginx, or by the bucket and the CDN before it). `private`
is RVCU_PRIVATE_MEDIA_ROOT outside MEDIA_ROOT, or a bucket of its own that nobody reads
anonymously, and never served as it is: the uploads kept for a form shown again (rvcu.uploads)
and the files of archived revisions that no other revision uses (rvcu.retired_files, under
`retired/`).

A row of an archived revision keeps its file fields, renamed `retired/<old name>`: the default
storage finds such names in the private storage, and gives them the address of the staff-only
view, so the admin shows them as before and the public address is gone.

Everything reads and writes files through the storage API (open, save, exists, size, delete,
url), never a local path, so the same code runs on the file system and on object storage.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from storages.backends.s3 import S3Storage

RETIRED_DIR = "retired"
RETIRED_PREFIX = f"{RETIRED_DIR}/"


def _retired(name):
    return bool(name) and name.startswith(RETIRED_PREFIX)


class RetiredInPrivateMixin:
    """Names under `retired/` are the private storage's; every other name is this storage's."""

    def _open(self, name, mode="rb"):
        if _retired(name):
            return storages["private"].open(name, mode)
        return super()._open(name, mode)

    def exists(self, name):
        if _retired(name):
            return storages["private"].exists(name)
        return super().exists(name)

    def size(self, name):
        if _retired(name):
            return storages["private"].size(name)
        return super().size(name)

    def delete(self, name):
        if _retired(name):
            return storages["private"].delete(name)
        return super().delete(name)

    def url(self, name, *args, **kwargs):
        if _retired(name):
            return reverse("retired-media", kwargs={"path": name.removeprefix(RETIRED_PREFIX)})
        return super().url(name, *args, **kwargs)


class MediaStorage(RetiredInPrivateMixin, FileSystemStorage):
    pass


class S3MediaStorage(RetiredInPrivateMixin, S3Storage):
    """The public bucket (RVCU_MEDIA_STORAGE=s3): stable addresses without a signature, for a
    CDN; retired names still go to the private bucket."""

    def get_object_parameters(self, name):
        # The bucket answers with the type stored with the object, which S3Storage takes from
        # the upload, that is from what the browser claimed (a PDF sent as text/html): the type
        # and the download follow the extension of the name we made, as nginx does (rvcu.media).
        from .media import media_type  # rvcu.media imports this module

        content_type, as_attachment = media_type(name)
        parameters = super().get_object_parameters(name)
        parameters["ContentType"] = content_type
        if as_attachment:
            parameters["ContentDisposition"] = "attachment"
        return parameters


@checks.register(checks.Tags.security)
def check_private_media_not_served(app_configs=None, **kwargs):
    """The web server serves all of MEDIA_ROOT: the private storage must not be inside it."""
    if settings.RVCU_MEDIA_STORAGE != "filesystem":
        return []
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.RVCU_PRIVATE_MEDIA_ROOT).resolve()
    if private == media or media in private.parents:
        return [
            checks.Error(
                "RVCU_PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT, which is served to anyone.",
                hint="Set RVCU_PRIVATE_MEDIA_ROOT to a folder outside DJANGO_MEDIA_ROOT.",
                id="rvcu.E010",
            )
        ]
    return []
