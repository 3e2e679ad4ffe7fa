"""rvcu.documents: a PDF is recognised by its content, whatever its name or type says."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rvcu.documents import validate_pdf_upload

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"xref\n"
    b"0 4\n"
    b"0000000000 65535 f \n"
    b"0000000009 00000 n \n"
    b"0000000058 00000 n \n"
    b"0000000115 00000 n \n"
    b"trailer << /Size 4 /Root 1 0 R >>\n"
    b"startxref\n"
    b"186\n"
    b"%%EOF\n"
)


def upload(content, name="report.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


def refusal(file):
    with pytest.raises(ValidationError) as caught:
        validate_pdf_upload(file)
    assert str(caught.value.messages[0]).strip()
    return caught.value.code


def test_pdf_minimal_document_accepted_and_left_at_start():
    file = upload(MINIMAL_PDF)

    validate_pdf_upload(file)

    assert file.tell() == 0


def test_pdf_accepted_whatever_its_name_and_type():
    validate_pdf_upload(upload(MINIMAL_PDF, name="report", content_type="text/plain"))


def test_pdf_long_document_accepted():
    """The header is looked for at the start and the end marker at the end, not in between."""
    body = b"% filler comment line\n" * 10_000
    validate_pdf_upload(upload(MINIMAL_PDF[:9] + body + MINIMAL_PDF[9:]))


def test_pdf_header_after_a_few_leading_bytes_accepted():
    validate_pdf_upload(upload(b"\xef\xbb\xbf\n" + MINIMAL_PDF))


def test_pdf_header_too_far_from_start_refused():
    assert refusal(upload(b" " * 1024 + MINIMAL_PDF)) == "not_a_pdf"


def test_pdf_text_named_like_a_report_refused():
    file = upload(b"Annual report 2024\n\nNothing to see here.\n", content_type="application/pdf")

    assert refusal(file) == "not_a_pdf"
    assert file.tell() == 0


def test_pdf_truncated_without_end_marker_refused():
    truncated = MINIMAL_PDF[: MINIMAL_PDF.index(b"%%EOF")]

    assert refusal(upload(truncated)) == "not_a_pdf"


def test_pdf_end_marker_only_in_the_middle_refused():
    """A document cut off during upload: an earlier %%EOF (from an update) is not the end."""
    content = MINIMAL_PDF + b"% appended update that was cut off\n" * 100

    assert refusal(upload(content)) == "not_a_pdf"


def test_pdf_over_limit_refused(settings):
    settings.RVCU_MAX_DOCUMENT_BYTES = len(MINIMAL_PDF) - 1

    assert refusal(upload(MINIMAL_PDF)) == "document_too_large"


def test_pdf_exactly_at_limit_accepted(settings):
    settings.RVCU_MAX_DOCUMENT_BYTES = len(MINIMAL_PDF)

    validate_pdf_upload(upload(MINIMAL_PDF))


def test_pdf_size_checked_before_content(settings):
    settings.RVCU_MAX_DOCUMENT_BYTES = 10

    assert refusal(upload(b"this is not a pdf at all")) == "document_too_large"
