"""Checking an attendee list (CSV) row by row: every bad row is reported, and a list with any is refused."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from prm.errors import InvalidInput

REQUIRED_COLUMNS = ("name", "email")
MAX_ROWS = 20000


def _problem(message: str) -> InvalidInput:
    return InvalidInput(message, fields={"file": [message]})


def attendee_count(content: bytes) -> int:
    """How many attendees the list names. Columns `name` and `email` are required (others, such as company or
    job title from an event tool's export, are kept in the file and not checked); each row needs a name and a
    valid email, and no email may appear twice."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _problem(_("The file is not UTF-8 encoded text (save the sheet as CSV UTF-8).")) from None
    reader = csv.DictReader(io.StringIO(text))
    problems: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    count = 0
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise _problem(
                _("The first line must name the columns, including %(columns)s.") % {"columns": ", ".join(missing)}
            )
        reader.fieldnames = header
        for record in reader:
            if not any((value or "").strip() for key, value in record.items() if key is not None):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _problem(_("The file has more than %(max)d attendees.") % {"max": MAX_ROWS})
            line = reader.line_num
            if not (record.get("name") or "").strip():
                problems.setdefault(f"line {line}.name", []).append(_("Give the attendee's name."))
            email = (record.get("email") or "").strip().lower()
            try:
                validate_email(email)
            except ValidationError:
                problems.setdefault(f"line {line}.email", []).append(_("Enter a valid email address."))
            else:
                if email in seen:
                    problems.setdefault(f"line {line}.email", []).append(
                        _("This email is on line %(line)d already.") % {"line": seen[email]}
                    )
                seen.setdefault(email, line)
    except csv.Error as error:
        raise _problem(_("The file is not valid CSV: %(error)s") % {"error": error}) from None
    if problems:
        raise InvalidInput(
            _("The attendee list has %(count)d problem(s); nothing was uploaded.") % {"count": len(problems)},
            fields=problems,
        )
    if not count:
        raise _problem(_("The attendee list is empty."))
    return count
