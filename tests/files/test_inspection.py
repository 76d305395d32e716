"""Uploads are judged by their bytes: size limit (413), kind by content (415), names never trusted."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prm.files.inspection import UploadRejected, inspect_upload
from prm.files.names import download_name, private_name

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ALL = {"pdf", "png", "jpeg", "csv", "xlsx", "pptx", "mp4"}
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"


def image(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=image_format)
    return buffer.getvalue()


def office(folder: str = "xl/", part: str = "workbook.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}{part}", "<root/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    return office()


def upload(content: bytes, name: str = "file.bin", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "kind", "content_type", "extension"),
    [
        (PDF, "pdf", "application/pdf", ".pdf"),
        (image("PNG"), "png", "image/png", ".png"),
        (image("JPEG"), "jpeg", "image/jpeg", ".jpg"),
        (xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        (
            office("ppt/", "presentation.xml"),
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".pptx",
        ),
        (MP4, "mp4", "video/mp4", ".mp4"),
        (b"name,email\nAna,ana@example.com\n", "csv", "text/csv", ".csv"),
        ("\ufeffnombre;correo\nAna;ana@example.com\n".encode(), "csv", "text/csv", ".csv"),
    ],
)
def test_each_kind_is_recognised_by_its_content_whatever_its_name(content, kind, content_type, extension):
    inspected = inspect_upload(upload(content, name="misleading.exe"), allowed=ALL, max_bytes=1024 * 1024)
    assert (inspected.kind, inspected.content_type, inspected.extension) == (kind, content_type, extension)
    assert inspected.size == len(content) and len(inspected.sha256) == 64


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00 an executable renamed to invoice.pdf",
        b"<html><body><script>alert(1)</script></body></html>",
        b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>",  # HTML behind an image header
        b"\xff\xd8\xff\xe0<script>alert(1)</script>",
        b"GIF89a<script>alert(1)</script>",
        PDF.replace(b"1 0 obj", b"<script>alert(1)</script> 1 0 obj"),
        b"%PDF-1.4 no end of file marker",
        b"PK\x03\x04 not really a zip",
        b"a,b\n\x00\x01\x02binary",
        b"  <!DOCTYPE html><p>a,b</p>",
    ],
)
def test_content_that_is_not_what_it_claims_is_refused_with_415(content):
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(
            upload(content, name="invoice.pdf", content_type="application/pdf"), allowed=ALL, max_bytes=10**6
        )
    assert (caught.value.status, caught.value.code) == (415, "unsupported_file_type")
    assert "file" in caught.value.fields


def test_only_the_allowed_kinds_pass():
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload(image("PNG")), allowed={"pdf", "csv"}, max_bytes=10**6)
    assert caught.value.status == 415
    assert "PDF, CSV" in caught.value.message


@pytest.mark.parametrize(
    "content",
    [
        xlsx(),  # a workbook is not a presentation
        office("word/", "document.xml"),  # nor is a document
        b"\x00\x00\x00\x18ftypqt  \x00\x00\x00\x00qt  ",  # a QuickTime movie is not an MP4
        b"\x00\x00\x00\x18ftyp",  # too short to name a brand
    ],
)
def test_slides_and_video_are_told_apart_from_lookalikes(content):
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload(content, name="deck.pptx"), allowed={"pptx", "mp4"}, max_bytes=10**6)
    assert caught.value.status == 415


def test_oversize_is_refused_with_413_before_or_while_reading():
    declared = upload(PDF)
    declared.size = 10**9  # the declared size alone is enough
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(declared, allowed=ALL, max_bytes=1024)
    assert (caught.value.status, caught.value.code) == (413, "file_too_large")

    unknown_size = io.BytesIO(PDF + b"0" * 2048)  # no size attribute: counted while reading
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(unknown_size, allowed=ALL, max_bytes=1024)
    assert caught.value.status == 413


def test_an_empty_file_is_a_400():
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload(b""), allowed=ALL, max_bytes=1024)
    assert caught.value.status == 400


def test_the_upload_is_rewound_for_whoever_stores_it():
    file = upload(PDF)
    inspect_upload(file, allowed={"pdf"}, max_bytes=10**6)
    assert file.read() == PDF


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ana\\Q3 invoice.pdf", "Q3 invoice.pdf"),
        ("invoice.exe", "invoice.pdf"),
        ('quote"; filename="evil.html', "quote_ filename_evil.pdf"),
        ("line\r\nbreak.pdf", "line_break.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("", "file.pdf"),
        ("...", "file.pdf"),
        ("rapport-été.pdf", "rapport-été.pdf"),
    ],
)
def test_download_names_keep_no_path_or_quoting_and_end_in_the_real_extension(original, expected):
    assert download_name(original, ".pdf") == expected


def test_stored_names_are_generated():
    first, second = private_name("mdf/claims/7", ".pdf"), private_name("mdf/claims/7/", ".pdf")
    assert first.startswith("mdf/claims/7/") and first.endswith(".pdf") and first != second
    assert ".." not in first and len(first.rsplit("/", 1)[1]) == len("0" * 32 + ".pdf")


class _Stored:
    """Stands in for a FieldFile: what attachment_response needs is `open(mode)`."""

    def __init__(self, path):
        self.path = path

    def open(self, mode):
        return open(self.path, mode)


def test_stored_files_are_served_as_attachments_that_browsers_never_sniff(tmp_path):
    from prm.files.responses import attachment_response

    path = tmp_path / "0123abcd.pdf"
    path.write_bytes(PDF)
    response = attachment_response(_Stored(path), filename="Q3 invoice.pdf", content_type="application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Q3 invoice.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
