"""Pure rules of deal protection (no ORM): days left, which reminder is due, the extension cap."""

from datetime import date, timedelta

# Reminders go out this many days before protection ends, the most urgent last.
REMINDER_DAYS = (14, 7, 1)


def days_left(*, protected_until: date | None, today: date) -> int | None:
    """Whole days of protection left after today: 0 on the last protected day, negative once it has ended."""
    if protected_until is None:
        return None
    return (protected_until - today).days


def is_protected(*, protected_until: date | None, today: date) -> bool:
    """Protection covers every day up to and including `protected_until`."""
    left = days_left(protected_until=protected_until, today=today)
    return left is not None and left >= 0


def reminder_due(*, days_left: int | None) -> int | None:
    """The reminder (14, 7 or 1 days before) that covers `days_left`, or None.

    Each reminder covers the days down to the next one: 14 → 8 to 14 days left, 7 → 2 to 7, 1 → 0 or 1.
    A sweep that missed a day still sends the reminder for the current window (and only that one), so
    a deal approved with 5 days of protection gets the 7-day reminder, not the 14-day one as well.
    """
    if days_left is None or days_left < 0:
        return None
    due = None
    for window in REMINDER_DAYS:
        if days_left <= window:
            due = window
    return due


def extended_until(*, protected_until: date, extension_days: int) -> date:
    """An approved extension adds its days to the current end of protection (not to today)."""
    return protected_until + timedelta(days=extension_days)


def extensions_left(*, used: int, cap: int) -> int:
    return max(cap - used, 0)
