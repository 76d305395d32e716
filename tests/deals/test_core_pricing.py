"""The discount stack, the largest-remainder split and the review deadline: pure rules, hand-computed."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deals.pricing import Discounts, price_line, price_totals, split_largest_remainder
from deals.rules import actions_allowed, add_business_days

D = Decimal


def stack(unit, quantity, **percentages):
    return price_line(unit_list_price=D(unit), quantity=quantity, discounts=Discounts.of(**percentages))


def test_the_stack_applies_tier_then_registration_then_special_pricing():
    # 3 × 1000.00 = 3000.00; tier 10 % → 2700.00; registration 5 + 2.5 = 7.5 % → 2497.50;
    # special 10 % on top → 2247.75.
    price = stack("1000.00", 3, tier_pct=10, program_registration_pct=5, tier_registration_pct="2.5", special_pct=10)
    assert (price.gross, price.tier_discount, price.registration_discount, price.special_discount, price.net) == (
        D("3000.00"),
        D("300.00"),
        D("202.50"),
        D("249.75"),
        D("2247.75"),
    )


def test_special_pricing_stacks_on_top_and_never_replaces_the_registration_discount():
    with_special = stack("200.00", 1, program_registration_pct=5, special_pct=5)
    # 200 × 0.95 × 0.95 = 180.50 (replacing would give 190.00; adding the percentages 180.00)
    assert with_special.net == D("180.50")
    assert with_special.registration_discount == D("10.00") and with_special.special_discount == D("9.50")


def test_rounding_is_half_up_once_at_the_end_of_the_line():
    assert stack("0.30", 1, program_registration_pct=5).net == D("0.29")  # 0.285 → 0.29 (half-even: 0.28)
    # 33.33 × 0.95 × 0.875 = 27.7055625 → 27.71; the steps are differences of rounded subtotals.
    price = stack("33.33", 1, program_registration_pct=5, special_pct="12.5")
    assert (price.registration_discount, price.special_discount, price.net) == (D("1.67"), D("3.95"), D("27.71"))
    assert price.gross - price.tier_discount - price.registration_discount - price.special_discount == price.net


@pytest.mark.parametrize(
    ("percentages", "net"),
    [
        ({}, D("150.00")),
        ({"special_pct": 100}, D("0.00")),
        ({"tier_pct": 100}, D("0.00")),
        ({"program_registration_pct": 60, "tier_registration_pct": 50}, D("0.00")),  # capped at 100 %
        ({"tier_pct": 0, "program_registration_pct": 0, "special_pct": 0}, D("150.00")),
    ],
)
def test_zero_and_hundred_percent_edges(percentages, net):
    assert stack("50.00", 3, **percentages).net == net


@pytest.mark.parametrize("bad", [D("-1"), D("100.01")])
def test_a_discount_outside_0_to_100_is_refused(bad):
    with pytest.raises(ValueError):
        Discounts.of(special_pct=bad)


def test_totals_add_up_the_lines():
    prices = [stack("1000.00", 3, tier_pct=10), stack("0.30", 1, program_registration_pct=5)]
    totals = price_totals(prices)
    assert (totals.gross, totals.tier_discount, totals.net) == (D("3000.30"), D("300.00"), D("2700.29"))


percent = st.decimals(min_value=0, max_value=100, places=2)


@given(
    unit=st.decimals(min_value=0, max_value=100000, places=2),
    quantity=st.integers(min_value=1, max_value=1000),
    tier=percent,
    registration=percent,
    special=percent,
    more=st.decimals(min_value=0, max_value=100, places=2),
    which=st.sampled_from(["tier_pct", "program_registration_pct", "special_pct"]),
)
def test_net_is_at_most_list_and_never_rises_with_a_bigger_discount(
    unit, quantity, tier, registration, special, more, which
):
    base = {"tier_pct": tier, "program_registration_pct": registration, "special_pct": special}
    price = stack(unit, quantity, **base)
    assert D(0) <= price.net <= price.gross
    bigger = {**base, which: min(base[which] + more, D(100))}
    assert stack(unit, quantity, **bigger).net <= price.net


def test_largest_remainder_split_gives_leftover_cents_to_the_biggest_remainders():
    assert split_largest_remainder(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
    # 1000 × 2/7 = 285.714…, × 5/7 = 714.285…: the floors leave a cent for the larger remainder (.0057 > .0043)
    assert split_largest_remainder(D("1000.00"), [2, 5]) == [D("285.71"), D("714.29")]
    assert split_largest_remainder(D("10.00"), [0, 0]) == [D("5.00"), D("5.00")]


@given(
    total=st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2),
    weights=st.lists(st.decimals(min_value=0, max_value=100000, places=2), min_size=1, max_size=12),
)
def test_largest_remainder_split_always_adds_up_exactly(total, weights):
    shares = split_largest_remainder(total, weights)
    assert sum(shares) == total
    assert all(share >= 0 and share == share.quantize(D("0.01")) for share in shares)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (datetime.datetime(2026, 3, 6, 10, 0), 2, datetime.datetime(2026, 3, 10, 10, 0)),  # Fri → Tue
        (datetime.datetime(2026, 3, 7, 9, 30), 1, datetime.datetime(2026, 3, 9, 9, 30)),  # Sat → Mon
        (datetime.datetime(2026, 3, 4, 16, 0), 0, datetime.datetime(2026, 3, 4, 16, 0)),
        (datetime.datetime(2026, 3, 2, 8, 0), 5, datetime.datetime(2026, 3, 9, 8, 0)),  # Mon → next Mon
    ],
)
def test_review_deadline_counts_business_days(start, days, due):
    assert add_business_days(start, days) == due


def test_actions_follow_the_status():
    assert actions_allowed("draft") == ["update_draft", "submit"]
    assert actions_allowed("submitted") == ["approve", "reject", "special_pricing", "close_lost"]
    assert actions_allowed("approved") == ["special_pricing", "close_won", "close_lost"]
    assert actions_allowed("won") == actions_allowed("rejected") == []
