"""What an upload really is, read from its bytes, never from its name or the browser's content type.

    inspected = inspect_upload(upload, allowed={"pdf", "png", "jpeg"}, max_bytes=10 * 1024 * 1024)

Refuses with `UploadRejected`: 413 over `max_bytes`, 415 for content that is none of the allowed kinds
(an executable renamed to .pdf, HTML behind an image signature, a CSV that is really a web page …).
"""

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.errors import DomainError

# Markup a browser would render if the file were ever served inline: never accepted in any kind.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|script|body|iframe|svg|object|embed)\b", re.IGNORECASE)
_SNIFF_BYTES = 4096


class UploadRejected(DomainError):
    def __init__(self, message: str, *, code: str, status: int, field: str = "file"):
        super().__init__(message, fields={field: [message]})
        self.code = code
        self.status = status


@dataclass(frozen=True)
class InspectedFile:
    kind: str  # "pdf", "png", "jpeg", "csv", "xlsx", "pptx", "mp4"
    content_type: str
    extension: str  # ".pdf" …: what the stored and downloaded names end with
    size: int
    sha256: str


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:] and not _MARKUP.search(data[:_SNIFF_BYTES])


def _is_image(data: bytes, image_format: str) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != image_format:
                return False
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() checks the structure; decoding proves the pixels are there too
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return not _MARKUP.search(data)


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n") and _is_image(data, "PNG")


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff") and _is_image(data, "JPEG")


def _is_office(data: bytes, folder: str) -> bool:
    """An Office Open XML package (a zip with `[Content_Types].xml`) whose parts live under `folder`."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _is_xlsx(data: bytes) -> bool:
    return _is_office(data, "xl/")


def _is_pptx(data: bytes) -> bool:
    return _is_office(data, "ppt/")


# ISO base media file brands of MP4 video (the `ftyp` box that opens the file names one).
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}


def _is_mp4(data: bytes) -> bool:
    return len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS


# Signatures of other formats: a file that starts like one of them is not a CSV, even if it decodes as text.
_BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"MZ", b"GIF8", b"\x7fELF")
# C0 control characters other than tab, line feed and carriage return never appear in a CSV.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_csv(data: bytes) -> bool:
    if data.startswith(_BINARY_SIGNATURES) or _CONTROL.search(data) or _MARKUP.search(data[:_SNIFF_BYTES]):
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if not text.strip() or text.lstrip().startswith("<"):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text[: _SNIFF_BYTES * 4])))
    except csv.Error:
        return False
    return bool(rows)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    check: Callable[[bytes], bool]


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", ".pdf", _is_pdf),
    "png": FileKind("image/png", ".png", _is_png),
    "jpeg": FileKind("image/jpeg", ".jpg", _is_jpeg),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", _is_xlsx),
    "pptx": FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", _is_pptx),
    "mp4": FileKind("video/mp4", ".mp4", _is_mp4),
    # Last: plain text is the loosest check.
    "csv": FileKind("text/csv", ".csv", _is_csv),
}


def _label(kinds: Iterable[str]) -> str:
    return ", ".join(kind.upper() for kind in kinds)


def inspect_upload(upload, *, allowed: Iterable[str], max_bytes: int, field: str = "file") -> InspectedFile:
    """The kind of `upload` (a Django UploadedFile or any file object) among `allowed`, or UploadRejected."""
    allowed = [kind for kind in KINDS if kind in set(allowed)]
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes, field)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise _too_large(max_bytes, field)
    if not data:
        raise UploadRejected(_("The file is empty."), code="empty_file", status=400, field=field)
    for kind in allowed:
        spec = KINDS[kind]
        if spec.check(data):
            return InspectedFile(kind, spec.content_type, spec.extension, len(data), hashlib.sha256(data).hexdigest())
    raise UploadRejected(
        _("This file is not a valid %(kinds)s file (checked by its content, not its name).")
        % {"kinds": _label(allowed)},
        code="unsupported_file_type",
        status=415,
        field=field,
    )


def _too_large(max_bytes: int, field: str) -> UploadRejected:
    return UploadRejected(
        _("The file is larger than %(mb)d MB.") % {"mb": max(1, max_bytes // (1024 * 1024))},
        code="file_too_large",
        status=413,
        field=field,
    )
