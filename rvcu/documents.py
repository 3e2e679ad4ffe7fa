"""PDF attachments, recognised by their content.

A file's name and the type the browser claims are chosen by whoever uploads it, so neither counts.
A PDF starts with a `%PDF-` header and ends with an `%%EOF` marker; checking both, near the start
and near the end, refuses other files renamed to .pdf and documents cut off during upload.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .uploads import megabytes

PDF_HEADER = b"%PDF-"
PDF_END = b"%%EOF"
HEADER_WINDOW = 1024  # the header must be within the first bytes
END_WINDOW = 2048  # and the end marker within the last bytes


def validate_pdf_upload(file):
    """Refuse a file over the size limit, or one that is not a complete PDF."""
    if not file:
        return
    limit = settings.RVCU_MAX_DOCUMENT_BYTES
    size = file.size
    if size > limit:
        raise ValidationError(
            _(
                "This document is too large (%(size)s MB); the limit is %(limit)s MB. "
                "Please make the PDF smaller (for example with smaller pictures) "
                "and upload it again."
            ),
            code="document_too_large",
            params={"size": megabytes(size), "limit": megabytes(limit)},
        )
    try:
        file.seek(0)
        head = file.read(HEADER_WINDOW)
        file.seek(max(0, size - END_WINDOW))
        tail = file.read(END_WINDOW)
    finally:
        file.seek(0)
    if PDF_HEADER not in head or PDF_END not in tail:
        raise ValidationError(
            _(
                "This file is not a complete PDF document. "
                "Please save or export it as PDF again and upload the new file."
            ),
            code="not_a_pdf",
        )
