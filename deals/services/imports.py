"""What every batch import of the deals app shares: all-or-nothing validation with a row-level report."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prm.errors import InvalidInput

# Rows per batch (one CSV file, one API call): validation and the insert stay one quick transaction.
MAX_BATCH_ROWS = 5000


class ImportRejected(InvalidInput):
    """Some rows of a batch are invalid, so nothing was written.

    `rows` maps each invalid row's number to {field: [messages]}; `fields` holds the same as dotted
    paths for the API's error envelope: {"rows.3.amount": ["Use at most two decimal places."]}.
    """

    def __init__(self, rows: Mapping[int, Mapping[str, list[str]]], *, total: int):
        self.rows = {number: dict(errors) for number, errors in sorted(rows.items())}
        message = ngettext(
            "%(count)d of %(total)d rows is not valid; nothing was imported.",
            "%(count)d of %(total)d rows are not valid; nothing was imported.",
            len(self.rows),
        ) % {"count": len(self.rows), "total": total}
        fields = {
            f"rows.{number}.{name}": list(messages)
            for number, errors in self.rows.items()
            for name, messages in errors.items()
        }
        super().__init__(message, fields=fields)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    # Keys of the rows that were already present (sales: external ids), in batch order.
    skipped_keys: list[str] = field(default_factory=list)


def numbered(rows: Sequence[Mapping], row_numbers: Sequence[int] | None) -> list[tuple[int, Mapping]]:
    """Pair each row with the number its errors are reported under (default: its index in the batch)."""
    rows = list(rows)
    if not rows:
        raise InvalidInput(_("The batch is empty: send at least one row."), fields={"rows": [_("No rows.")]})
    if len(rows) > MAX_BATCH_ROWS:
        message = _("At most %(max)d rows per batch; split the file or the request.") % {"max": MAX_BATCH_ROWS}
        raise InvalidInput(message, fields={"rows": [message]})
    numbers = list(row_numbers) if row_numbers is not None else list(range(len(rows)))
    if len(numbers) != len(rows):
        raise ValueError("row_numbers must number every row.")
    return list(zip(numbers, rows, strict=True))


def objects_only(pairs: list[tuple[int, Mapping]], errors: dict) -> list[tuple[int, Mapping]]:
    """The pairs whose row is an object; each other row gets its error in `errors`."""
    kept = []
    for number, row in pairs:
        if isinstance(row, Mapping):
            kept.append((number, row))
        else:
            errors[number] = {"non_field_errors": [_("Each row must be an object.")]}
    return kept


def add_error(errors: dict[str, list[str]], name: str, message) -> None:
    errors.setdefault(name, []).append(str(message))
