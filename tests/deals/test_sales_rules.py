"""Pure rules of the sales area: reading amounts, dates, numbers and yes/no, and the trailing 12 months."""

from datetime import date
from decimal import Decimal

import pytest

from deals.sales_rules import money, parse_amount, parse_bool, parse_date, parse_positive_int, trailing_months


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("1234.5", Decimal("1234.50")),
        (" 10 ", Decimal("10.00")),
        (Decimal("0.01"), Decimal("0.01")),
        (7, Decimal("7.00")),
    ],
)
def test_amounts_are_read_to_the_cent(raw, amount):
    assert parse_amount(raw) == amount


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12.345", "two decimal places"),
        ("abc", "Enter an amount"),
        ("", "Enter an amount"),
        ("NaN", "Enter an amount"),
        ("-5", "cannot be negative"),
        ("1000000000000", "too large"),
        (12.5, "decimal string"),
        (True, "decimal string"),
    ],
)
def test_bad_amounts_say_what_is_wrong(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(raw)


def test_credit_notes_may_be_negative_where_allowed():
    assert parse_amount("-250.00", allow_negative=True) == Decimal("-250.00")


def test_money_rounds_half_up_to_the_cent():
    assert money(Decimal("2.345")) == Decimal("2.35") and money(Decimal("-2.345")) == Decimal("-2.35")


def test_dates_numbers_and_flags():
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    assert parse_positive_int(" 12 ") == 12
    assert parse_bool("Yes") is True and parse_bool("0") is False
    for parse, raw in ((parse_date, "31/03/2026"), (parse_positive_int, "0"), (parse_positive_int, "1.5")):
        with pytest.raises(ValueError):
            parse(raw)
    with pytest.raises(ValueError, match="yes or no"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("as_of", "first"),
    [
        (date(2026, 3, 31), date(2025, 4, 1)),
        (date(2024, 2, 29), date(2023, 3, 1)),
        (date(2026, 1, 1), date(2025, 1, 2)),
    ],
)
def test_the_trailing_twelve_months_end_on_the_day_itself(as_of, first):
    assert trailing_months(as_of) == (first, as_of)
