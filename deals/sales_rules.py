"""Pure rules of the catalog and sales imports (no ORM): how one cell of a CSV file or one JSON value is
read as an amount, a date, a whole number or a yes/no, and the trailing 12-month window of the metrics.

Each parser returns the value or raises ValueError with the message to show next to the field.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# NUMERIC(14, 2): twelve digits before the decimal point.
MAX_AMOUNT = Decimal("999999999999.99")
TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
FALSE_WORDS = frozenset({"0", "false", "no", "n"})


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def money(value: Decimal) -> Decimal:
    """The one rounding rule: half up to the cent, at the end of each line."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value, *, allow_negative: bool = False) -> Decimal:
    """`"1234.5"` → Decimal("1234.50"). At most two decimal places (no silent rounding of input)."""
    if isinstance(value, (bool, float)):
        raise ValueError(_("Send the amount as a decimal string such as “1234.50”."))
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(_("Enter an amount such as 1234.50.")) from None
    if not amount.is_finite():
        raise ValueError(_("Enter an amount such as 1234.50."))
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError(_("Use at most two decimal places."))
    if amount < 0 and not allow_negative:
        raise ValueError(_("The amount cannot be negative."))
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(_("The amount is too large."))
    return money(amount)


def parse_date(value) -> date:
    """An ISO date `YYYY-MM-DD` (a date object passes through)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None


def parse_positive_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Enter a whole number of at least 1."))
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(_("Enter a whole number of at least 1.")) from None
    if number < 1:
        raise ValueError(_("Enter a whole number of at least 1."))
    return number


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("Enter yes or no."))


def trailing_months(as_of: date, months: int = 12) -> tuple[date, date]:
    """The first and last day (both inclusive) of the `months` months up to and including `as_of`.

    2026-03-31 → (2025-04-01, 2026-03-31); 2024-02-29 → (2023-03-01, 2024-02-29).
    """
    return as_of - relativedelta(months=months) + timedelta(days=1), as_of
