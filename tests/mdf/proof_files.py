"""Small valid proof files for MDF tests (a PDF, a PNG, CSVs) as Django uploads."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="booth.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def csv_file(text: str, name="list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


ATTENDEES = "name,email,company\nAna Ruiz,ana@example.es,Ruiz SL\nPiet Jansen,piet@example.nl,Jansen BV\n"
LEADS = (
    "company_name,contact_name,contact_email,country,estimated_value\n"
    "Globex,Hank Scorpio,hank@globex.example,US,12000\n"
    "Initech,Bill Lumbergh,bill@initech.example,US,\n"
)
