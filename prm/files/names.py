"""Names of stored files (generated, never the uploader's) and of downloads (the uploader's, made safe)."""

import re
import unicodedata
import uuid

_UNSAFE = re.compile(r"[^\w\-. ()]+", re.UNICODE)


def private_name(folder: str, extension: str) -> str:
    """`<folder>/<random hex><extension>`: nothing of the uploader's file name reaches the disk."""
    return f"{folder.strip('/')}/{uuid.uuid4().hex}{extension}"


def download_name(original: str, extension: str, *, fallback: str = "file") -> str:
    """The uploader's file name without any path, control or quoting characters, ending in the extension of
    the file's real kind (`../../etc/passwd.pdf` → `passwd.pdf`; `invoice.exe` checked as PDF → `invoice.pdf`)."""
    base = re.split(r"[\\/]", original or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base.lstrip(".")
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or fallback
    return f"{stem}{extension}"
