"""PDF attachments, recognised by their content.

A file's name and the type the browser claims are chosen by whoever uploads it, so neither counts.
A PDF starts with a `%PDF-` header and ends with an `%%EOF` marker; checking both, near the start
and near the end, refuses other files renamed to .pdf and documents cut off during upload, before
any parsing. The file is then really parsed (pypdf): it must be a readable document with pages,
not encrypted (what is encrypted cannot be checked), and carry nothing a PDF viewer would run or
open on the reader's computer: JavaScript (or an XFA form, which carries scripts), launch
actions, or files embedded inside it. Every object of the file is looked at, reachable or not,
so an action hidden in /OpenAction, an /AA (additional actions) entry, an annotation or the
names tree is found wherever it hangs.

Parsing is bounded: the size limit is checked first, pypdf's own limits cap what a compressed
stream may expand to, and at most MAX_OBJECTS objects are read.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .uploads import megabytes

PDF_HEADER = b"%PDF-"
PDF_END = b"%%EOF"
HEADER_WINDOW = 1024  # the header must be within the first bytes
END_WINDOW = 2048  # and the end marker within the last bytes
# A real 10 MB report holds a few thousand objects; a file made of hundreds of thousands of
# tiny ones only makes the check slow.
MAX_OBJECTS = 100_000

JAVASCRIPT, LAUNCH, EMBEDDED_FILE = "pdf_javascript", "pdf_launch", "pdf_embedded_file"
# Dictionary keys whose mere presence says what the document carries.
_KEYS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,
    "/XFA": JAVASCRIPT,
    "/EmbeddedFiles": EMBEDDED_FILE,
    "/EF": EMBEDDED_FILE,
}
# Values of /S (action type), /Subtype and /Type that say the same.
_TYPES = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/GoToE": EMBEDDED_FILE,
    "/FileAttachment": EMBEDDED_FILE,
    "/EmbeddedFile": EMBEDDED_FILE,
    "/RichMedia": EMBEDDED_FILE,
}
_TYPE_KEYS = ("/S", "/Subtype", "/Type")

MESSAGES = {
    "not_a_pdf": _(
        "This file is not a complete PDF document. "
        "Please save or export it as PDF again and upload the new file."
    ),
    "pdf_encrypted": _(
        "This PDF is encrypted or protected by a password, so it cannot be checked. "
        "Please save it again without protection and upload the new file."
    ),
    JAVASCRIPT: _(
        "This PDF contains scripts (JavaScript), which are not accepted. "
        "Please save it again without scripts, for example with “Print to PDF”, "
        "and upload the new file."
    ),
    LAUNCH: _(
        "This PDF contains an action that opens another file or program, which is not accepted. "
        "Please save it again without it, for example with “Print to PDF”, "
        "and upload the new file."
    ),
    EMBEDDED_FILE: _(
        "This PDF has other files attached inside it, which is not accepted. "
        "Please save it again without the attached files and upload each document on its own."
    ),
    "pdf_too_complex": _(
        "This PDF is too complex to be checked. "
        "Please save it again, for example with “Print to PDF”, and upload the new file."
    ),
}


class _Refused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _refusal(code):
    return ValidationError(MESSAGES[code], code=code)


def validate_pdf_upload(file):
    """Refuse a file over the size limit, one that is not a complete, readable PDF, or one that
    is encrypted or carries scripts, launch actions or embedded files."""
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
        raise _refusal("not_a_pdf")
    try:
        code = _inspect(file)
    finally:
        file.seek(0)
    if code:
        raise _refusal(code)


def _inspect(file):
    """The code of the first reason to refuse the parsed file, or None."""
    # Warnings from the parser are about damage it repairs: they must not change the outcome
    # (the test suite turns warnings into errors).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted:
                return "pdf_encrypted"
            if reader.get_num_pages() < 1:
                return "not_a_pdf"
            return _forbidden_content(reader)
        except _Refused as refused:
            return refused.code
        # A hostile file can make the parser fail in any way (its own errors, but also
        # ValueError, KeyError, struct or zlib errors, RecursionError on deep nesting): all
        # mean that it cannot be read as a PDF.
        except Exception:
            return "not_a_pdf"


def _forbidden_content(reader):
    """Walk every object, from the trailer and from the cross-reference table, without
    recursion: a reason to refuse (raised as _Refused) or None."""
    pending = [reader.trailer]
    for generation, entries in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in entries)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen = set()
    read = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            read += 1
            if read > MAX_OBJECTS:
                raise _Refused("pdf_too_complex")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for name, value in dict.items(item):
                if name in _KEYS:
                    raise _Refused(_KEYS[name])
                if name in _TYPE_KEYS:
                    kind = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(kind, str) and kind in _TYPES:
                        raise _Refused(_TYPES[kind])
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(list.__iter__(item))
    return None
