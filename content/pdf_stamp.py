"""Stamping a PDF with a partner's branding (no ORM): an overlay drawn with reportlab — the partner's logo and a
"Provided by <name>" strip along the bottom — merged onto every page with pypdf."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

STRIP_HEIGHT = 28
LOGO_HEIGHT = 20
MARGIN = 10


class UnstampablePdf(Exception):
    """The PDF cannot be read (damaged) or is encrypted, so it cannot be co-branded."""


def _overlay(width: float, height: float, *, text: str, logo: bytes | None) -> PdfReader:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height))
    sheet.setFillColorRGB(1, 1, 1, alpha=0.92)
    sheet.rect(0, 0, width, STRIP_HEIGHT, stroke=0, fill=1)
    x = MARGIN
    if logo:
        image = ImageReader(io.BytesIO(logo))
        image_width, image_height = image.getSize()
        logo_width = LOGO_HEIGHT * image_width / image_height if image_height else LOGO_HEIGHT
        sheet.drawImage(image, x, (STRIP_HEIGHT - LOGO_HEIGHT) / 2, logo_width, LOGO_HEIGHT, mask="auto")
        x += logo_width + MARGIN
    sheet.setFillColorRGB(0.1, 0.1, 0.1)
    sheet.setFont("Helvetica", 10)
    sheet.drawString(x, (STRIP_HEIGHT - 10) / 2 + 1, text)
    sheet.save()
    buffer.seek(0)
    return PdfReader(buffer)


def stamp_pdf(source: bytes, *, text: str, logo: bytes | None = None) -> bytes:
    """`source` with `text` (and `logo`, image bytes, when given) stamped at the bottom of every page."""
    try:
        reader = PdfReader(io.BytesIO(source))
        if reader.is_encrypted:
            raise UnstampablePdf("encrypted")
        writer = PdfWriter(clone_from=reader)
        if not writer.pages:
            raise UnstampablePdf("no pages")
        overlays: dict[tuple[float, float], object] = {}
        for page in writer.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            if size not in overlays:
                overlays[size] = _overlay(*size, text=text, logo=logo).pages[0]
            page.merge_page(overlays[size])
        output = io.BytesIO()
        writer.write(output)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnstampablePdf(str(error)) from error
    return output.getvalue()
