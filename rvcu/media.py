"""How uploaded files are served, whoever serves them.

Whatever people upload is served on the portal's own origin, so a file must never be taken by a
browser for a page, a picture with script (SVG) or a script: the type comes from an allow-list
by extension (the stored names are generated: pictures end in .webp, documents in .pdf), never
from the content or from `mimetypes`; anything else is a download of bytes. Every answer also
forbids sniffing and, should a browser still render it, runs it in a sandbox with nothing
allowed. PDFs are downloads under their stored name.

In production nginx (or the CDN before the bucket) serves the media with the same headers
(docs/deployment.md); Django serves them only in development (DEBUG), with `serve_media`. Files
taken off the portal (those of archived revisions, see rvcu.retired_files) are in the private
storage and only staff open them, through `retired_file`.
"""

import posixpath
from pathlib import Path, PurePosixPath

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage, storages
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from .storage import RETIRED_DIR

MEDIA_CONTENT_TYPES = {
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
}
DOWNLOAD_CONTENT_TYPE = "application/octet-stream"
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def media_type(name):
    """(content type, whether it is a download) of the stored file `name`, by its extension."""
    content_type = MEDIA_CONTENT_TYPES.get(Path(name).suffix.lower())
    return content_type or DOWNLOAD_CONTENT_TYPE, content_type in (None, "application/pdf")


def media_file_response(file, name):
    """The answer for the opened stored `file` named `name` (the type follows its extension)."""
    filename = posixpath.basename(name)
    content_type, as_attachment = media_type(filename)
    response = FileResponse(
        file, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    for header, value in MEDIA_HEADERS.items():
        response.headers[header] = value
    return response


def _open_stored(storage, name):
    """The file `name` of `storage`, opened, or 404 (outside it, missing, a folder): through
    the storage API, so the same view reads the file system and object storage."""
    parts = PurePosixPath(name).parts
    if not parts or ".." in parts or name.startswith("/") or "\\" in name or "\0" in name:
        raise Http404
    try:
        if not storage.exists(name):
            raise Http404
        return storage.open(name, "rb")
    except (SuspiciousOperation, ValueError, IsADirectoryError, FileNotFoundError) as error:
        raise Http404 from error


@require_safe
def serve_media(request, path):
    """The media in development (rvcu/urls.py adds it when DEBUG is on)."""
    return media_file_response(_open_stored(default_storage, path), path)


@require_safe
def retired_file(request, path):
    """A file of an archived revision, for staff only (the admin links to it); anyone else is
    told it does not exist."""
    user = request.user
    if not (user.is_active and user.is_staff):
        raise Http404
    stored = _open_stored(storages["private"], f"{RETIRED_DIR}/{path}")
    response = media_file_response(stored, path)
    response.headers["Cache-Control"] = "private, no-store"
    return response
