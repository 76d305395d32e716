"""The CSV upload behind the admin's imports (products, house accounts, sale records): checks the file by its
size, declared type and content (UTF-8 text, not a spreadsheet or a binary), reads the header and returns
the rows with the line each starts on. What a row means is the import service's business."""

import csv
import io

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CSV_BYTES = 2 * 1024 * 1024
# What browsers declare for a .csv file (Excel on Windows says vnd.ms-excel); the content is checked anyway.
CSV_CONTENT_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "application/csv",
        "text/comma-separated-values",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)
# Leading bytes of files people save by mistake instead of CSV.
NOT_CSV_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def _column(name: str) -> str:
    return (name or "").strip().lower().replace(" ", "_")


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 text, comma- or semicolon-separated, first line the column names; at most 2 MB."),
    )

    def __init__(self, *args, columns: tuple[str, ...], required: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns, self.required = columns, required
        self.rows: list[dict[str, str]] = []
        self.line_numbers: list[int] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)d MB.") % {"mb": MAX_CSV_BYTES // (1024 * 1024)},
                code="file_too_large",
            )
        declared = (upload.content_type or "").split(";")[0].strip().lower()
        if declared and declared not in CSV_CONTENT_TYPES:
            raise forms.ValidationError(_("Upload a CSV file (.csv), not %(type)s.") % {"type": declared}, code="type")
        raw = upload.read()
        if raw.startswith(NOT_CSV_SIGNATURES) or b"\x00" in raw:
            raise forms.ValidationError(
                _("This is not a CSV text file. In a spreadsheet, save it as “CSV UTF-8”."), code="type"
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8”."), code="encoding"
            ) from None
        self._read(text)
        return upload

    def _read(self, text: str) -> None:
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = [_column(name) for name in next(reader)]
        except StopIteration:
            raise forms.ValidationError(_("The file is empty."), code="empty") from None
        except csv.Error as exc:
            raise forms.ValidationError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from None
        missing = [name for name in self.required if name not in header]
        unknown = [name for name in header if name and name not in self.columns]
        duplicated = sorted({name for name in header if name and header.count(name) > 1})
        problems = []
        if missing:
            problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        if duplicated:
            problems.append(_("Columns named twice: %(names)s.") % {"names": ", ".join(duplicated)})
        if problems:
            problems.append(_("The columns are: %(names)s.") % {"names": ", ".join(self.columns)})
            raise forms.ValidationError(" ".join(str(problem) for problem in problems), code="header")
        line = reader.line_num
        try:
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > len(header):
                    raise forms.ValidationError(
                        _("Line %(line)d has more cells than there are columns.") % {"line": start}, code="cells"
                    )
                self.rows.append({name: cell for name, cell in zip(header, cells, strict=False) if name})
                self.line_numbers.append(start)
        except csv.Error as exc:
            raise forms.ValidationError(
                _("Line %(line)d is not valid CSV: %(error)s") % {"line": reader.line_num, "error": exc}
            ) from None
        if not self.rows:
            raise forms.ValidationError(_("The file has a header but no rows."), code="empty")
