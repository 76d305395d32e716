"""Incentive periods as plain values: `2026-07` (month), `2026-Q3` (quarter), `2026` (year)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

SCHEMES = ("month", "quarter", "year")
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])))?$")


@dataclass(frozen=True, order=True)
class Period:
    starts_on: date
    ends_on: date
    scheme: str
    key: str

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def next(self) -> "Period":
        return period_containing(self.ends_on + timedelta(days=1), self.scheme)

    def previous(self) -> "Period":
        return period_containing(self.starts_on - timedelta(days=1), self.scheme)


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def period_containing(day: date, scheme: str) -> Period:
    if scheme == "month":
        return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), scheme, f"{day:%Y-%m}")
    if scheme == "quarter":
        quarter = (day.month - 1) // 3 + 1
        first_month = 3 * quarter - 2
        return Period(
            date(day.year, first_month, 1), _month_end(day.year, first_month + 2), scheme, f"{day.year}-Q{quarter}"
        )
    if scheme == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), scheme, str(day.year))
    raise ValueError(f"Unknown period scheme {scheme!r}; use one of {', '.join(SCHEMES)}.")


def parse_period(key: str, scheme: str | None = None) -> Period:
    """The period a key names; with `scheme`, the key must be of that scheme. Raises ValueError."""
    match = _KEY.match((key or "").strip())
    if not match:
        raise ValueError(f"“{key}” is not a period: use 2026-07, 2026-Q3 or 2026.")
    year = int(match["year"])
    if match["month"]:
        period = period_containing(date(year, int(match["month"]), 1), "month")
    elif match["quarter"]:
        period = period_containing(date(year, 3 * int(match["quarter"]) - 2, 1), "quarter")
    else:
        period = period_containing(date(year, 1, 1), "year")
    if scheme and period.scheme != scheme:
        raise ValueError(f"“{key}” is not a {scheme} period.")
    return period


def periods_overlapping(first: date, last: date, scheme: str) -> list[Period]:
    """Every period of `scheme` that has a day in [first, last], oldest first."""
    periods, period = [], period_containing(first, scheme)
    while period.starts_on <= last:
        periods.append(period)
        period = period.next()
    return periods


def month_index(day: date) -> int:
    """Months since year 0: consecutive months differ by one (for month arithmetic on subscriptions)."""
    return day.year * 12 + day.month - 1
