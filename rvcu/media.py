"""How uploaded files are served, whoever serves them.

Whatever people upload is served on the portal's own origin, so a file must never be taken by a
browser for a page, a picture with script (SVG) or a script: the type comes from an allow-list
by extension (the stored names are generated: pictures end in .webp, documents in .pdf), never
from the content or from `mimetypes`; anything else is a download of bytes. Every answer also
forbids sniffing and, should a browser still render it, runs it in a sandbox with nothing
allowed. PDFs are downloads under their stored name.

In production nginx serves MEDIA_ROOT with the same headers (docs/deployment.md); Django serves
it only in development (DEBUG), with `serve_media`. Files taken off the portal (those of
archived revisions, see rvcu.retired_files) are in the private storage and only staff open them,
through `retired_file`.
"""

import posixpath
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.utils._os import safe_join
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


def media_file_response(file, name):
    """The answer for the opened stored `file` named `name` (the type follows its extension)."""
    filename = posixpath.basename(name)
    content_type = MEDIA_CONTENT_TYPES.get(Path(filename).suffix.lower())
    response = FileResponse(
        file,
        content_type=content_type or DOWNLOAD_CONTENT_TYPE,
        as_attachment=content_type in (None, "application/pdf"),
        filename=filename,
    )
    for header, value in MEDIA_HEADERS.items():
        response.headers[header] = value
    return response


def _open_below(root, path):
    """The file at `path` below `root`, opened, or 404 (outside it, missing, a folder)."""
    try:
        full_path = Path(safe_join(root, posixpath.normpath(path).lstrip("/")))
    except (SuspiciousFileOperation, ValueError) as error:
        raise Http404 from error
    if not full_path.is_file():
        raise Http404
    return full_path.open("rb")


@require_safe
def serve_media(request, path):
    """MEDIA_ROOT in development (rvcu/urls.py adds it when DEBUG is on)."""
    return media_file_response(_open_below(settings.MEDIA_ROOT, path), path)


@require_safe
def retired_file(request, path):
    """A file of an archived revision, for staff only (the admin links to it); anyone else is
    told it does not exist."""
    user = request.user
    if not (user.is_active and user.is_staff):
        raise Http404
    private_root = Path(storages["private"].location)
    response = media_file_response(_open_below(private_root / RETIRED_DIR, path), path)
    response.headers["Cache-Control"] = "private, no-store"
    return response
