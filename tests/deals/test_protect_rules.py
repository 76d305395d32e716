"""Pure protection rules: days left, which reminder window applies, extension arithmetic."""

from datetime import date

import pytest

from deals.protection_rules import days_left, extended_until, extensions_left, is_protected, reminder_due

TODAY = date(2026, 5, 10)


@pytest.mark.parametrize(
    ("protected_until", "left", "protected"),
    [(date(2026, 5, 24), 14, True), (date(2026, 5, 10), 0, True), (date(2026, 5, 9), -1, False), (None, None, False)],
)
def test_days_left_counts_whole_days_after_today(protected_until, left, protected):
    assert days_left(protected_until=protected_until, today=TODAY) == left
    assert is_protected(protected_until=protected_until, today=TODAY) is protected


@pytest.mark.parametrize(
    ("left", "window"),
    [(15, None), (14, 14), (8, 14), (7, 7), (2, 7), (1, 1), (0, 1), (-1, None), (None, None)],
)
def test_each_reminder_covers_the_days_down_to_the_next(left, window):
    assert reminder_due(days_left=left) == window


def test_an_extension_runs_from_the_current_end_and_the_cap_never_goes_negative():
    assert extended_until(protected_until=date(2026, 5, 31), extension_days=30) == date(2026, 6, 30)
    assert [extensions_left(used=used, cap=2) for used in (0, 1, 2, 3)] == [2, 1, 0, 0]
