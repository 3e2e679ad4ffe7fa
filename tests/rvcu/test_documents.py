"""rvcu.documents: a PDF is recognised by its content, whatever its name or type says, and
refused when it is encrypted or carries scripts, launch actions or embedded files."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from rvcu import documents
from rvcu.documents import validate_pdf_upload
from tests.factories import PROBE_HTML, pdf_bytes

MINIMAL_PDF = pdf_bytes()


def javascript_action():
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )


def launch_action():
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("C:\\Windows\\System32\\calc.exe"),
        }
    )


def annotation(writer, **entries):
    """An annotation on the first page, with its entries given as PDF objects."""
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 50, 50)]),
            **{NameObject(f"/{key}"): value for key, value in entries.items()},
        }
    )
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def with_open_action(action):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action())

    return change


def javascript_in_names_tree(writer):
    names = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("hello"), writer._add_object(javascript_action())]
            )
        }
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(names)}
    )


def javascript_in_page_additional_actions(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): writer._add_object(javascript_action())}
    )


def javascript_in_catalog_additional_actions(writer):
    writer._root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): javascript_action()}
    )


def javascript_in_link(writer):
    annotation(writer, Subtype=NameObject("/Link"), A=javascript_action())


def javascript_not_referenced(writer):
    """An object nothing points to: a viewer that rebuilds a damaged file may still find it."""
    writer._add_object(javascript_action())


def launch_in_link(writer):
    annotation(writer, Subtype=NameObject("/Link"), A=launch_action())


def embedded_file(writer):
    writer.add_attachment("payload.exe", b"MZ not really a program")


def file_attachment_annotation(writer):
    annotation(
        writer,
        Subtype=NameObject("/FileAttachment"),
        FS=DictionaryObject(
            {NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("a")}
        ),
    )


def encrypted(writer):
    writer.encrypt(user_password="", owner_password="secret", algorithm="RC4-128")


def encrypted_with_password(writer):
    writer.encrypt(user_password="secret", algorithm="RC4-128")


def web_link(writer):
    annotation(
        writer,
        Subtype=NameObject("/Link"),
        A=DictionaryObject(
            {
                NameObject("/S"): NameObject("/URI"),
                NameObject("/URI"): TextStringObject("https://en.unesco.org/creative-cities/"),
            }
        ),
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


def test_pdf_probe_html_with_both_markers_refused():
    assert refusal(upload(PROBE_HTML, name="probe.html", content_type="text/html")) == "not_a_pdf"


def test_pdf_markers_around_garbage_refused():
    assert refusal(upload(b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n")) == "not_a_pdf"


def test_pdf_catalog_without_pages_refused():
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    assert refusal(upload(content)) == "not_a_pdf"


def test_pdf_deeply_nested_objects_refused_quickly():
    """Nesting deeper than Python's recursion limit: the parser gives up, it does not crash."""
    nested = b"[" * 50_000 + b"]" * 50_000
    content = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Junk "
        + nested
        + b" >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    )
    started = time.monotonic()

    assert refusal(upload(content)) == "not_a_pdf"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (with_open_action(javascript_action), "pdf_javascript"),
        (javascript_in_names_tree, "pdf_javascript"),
        (javascript_in_page_additional_actions, "pdf_javascript"),
        (javascript_in_catalog_additional_actions, "pdf_javascript"),
        (javascript_in_link, "pdf_javascript"),
        (javascript_not_referenced, "pdf_javascript"),
        (with_open_action(launch_action), "pdf_launch"),
        (launch_in_link, "pdf_launch"),
        (embedded_file, "pdf_embedded_file"),
        (file_attachment_annotation, "pdf_embedded_file"),
        (encrypted, "pdf_encrypted"),
        (encrypted_with_password, "pdf_encrypted"),
    ],
    ids=[
        "javascript-open-action",
        "javascript-names-tree",
        "javascript-page-aa",
        "javascript-catalog-aa",
        "javascript-link",
        "javascript-unreferenced",
        "launch-open-action",
        "launch-link",
        "embedded-file",
        "file-attachment-annotation",
        "encrypted-owner-password",
        "encrypted-user-password",
    ],
)
def test_pdf_with_active_or_hidden_content_refused(change, code):
    file = upload(pdf_bytes(change))

    assert refusal(file) == code
    assert file.tell() == 0


def test_pdf_javascript_name_written_in_hex_refused():
    """/J#53 is the name /JS written with an escaped letter: a viewer reads it as /JS."""
    content = pdf_bytes(with_open_action(javascript_action))
    assert content.count(b"/JS ") == 1

    assert refusal(upload(content.replace(b"/JS ", b"/J#53 "))) == "pdf_javascript"


def test_pdf_with_web_link_accepted():
    validate_pdf_upload(upload(pdf_bytes(web_link)))


def test_pdf_with_more_objects_than_checked_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_OBJECTS", 2)

    assert refusal(upload(MINIMAL_PDF)) == "pdf_too_complex"


def test_pdf_refusals_each_have_their_own_message():
    assert len(set(map(str, documents.MESSAGES.values()))) == len(documents.MESSAGES) == 6
