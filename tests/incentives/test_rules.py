"""The pure incentive maths, hand-computed at and around every boundary, plus property tests; the rebate
SQL is held to `rules.rebate_compute` against PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incentives.computation.rebate import rebate_amount_sql
from incentives.periods import month_index, parse_period, period_containing, periods_overlapping
from incentives.rules import (
    Band,
    NextBand,
    RuleError,
    bands_from,
    capped_running,
    rebate_compute,
    rebate_marginal_value,
    rebate_next_band,
    subscription_months_in,
    validate_params,
)

D = Decimal
BANDS = [Band(D(0), D(0)), Band(D(100000), D(2)), Band(D(250000), D(4))]


def amount(revenue, mode, **kwargs):
    return rebate_compute(D(revenue), BANDS, mode=mode, **kwargs).amount


# --- bands at and around each boundary ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue", "retroactive", "incremental"),
    [
        ("0", "0.00", "0.00"),
        ("99999.99", "0.00", "0.00"),
        ("100000", "2000.00", "0.00"),
        ("100000.01", "2000.00", "0.00"),  # 2,000.0002 / 0.0002
        ("100000.25", "2000.01", "0.01"),  # 2,000.005 / 0.005: half-up at the cent
        ("150000", "3000.00", "1000.00"),
        ("249999.99", "5000.00", "3000.00"),  # 4,999.9998 / 2,999.9998
        ("250000", "10000.00", "3000.00"),
        ("250000.01", "10000.00", "3000.00"),  # 10,000.0004 / 3,000.0004
        ("300000", "12000.00", "5000.00"),
    ],
)
def test_retroactive_and_incremental_bands(revenue, retroactive, incremental):
    assert amount(revenue, "retroactive") == D(retroactive)
    assert amount(revenue, "incremental") == D(incremental)


def test_reached_band_and_rate_are_reported():
    below = rebate_compute(D("99999.99"), BANDS, mode="retroactive")
    at = rebate_compute(D("250000"), BANDS, mode="incremental")
    assert (below.band, below.rate) == (0, D(0))
    assert (at.band, at.rate, at.base) == (2, D(4), D(3000))


def test_half_up_not_bankers_rounding():
    # 2% of 100,000.25 is 2,000.005: half-up gives .01 where half-even would give .00.
    assert amount("100000.25", "retroactive") == D("2000.01")
    # 4% of 250,000.125 = 10,000.005 → 10,000.01
    assert amount("250000.125", "retroactive") == D("10000.01")


def test_minimum_threshold():
    flat = [Band(D(0), D(1))]
    assert rebate_compute(D("49999.99"), flat, mode="retroactive", minimum=D(50000)).amount == D("0.00")
    result = rebate_compute(D("50000"), flat, mode="retroactive", minimum=D(50000))
    assert (result.amount, result.band) == (D("500.00"), 0)
    assert rebate_compute(D("-10"), flat, mode="retroactive").amount == D("0.00")


def test_multiplier_then_cap():
    assert amount("100000", "retroactive", multiplier=D("1.25")) == D("2500.00")
    capped = rebate_compute(D(250000), BANDS, mode="retroactive", multiplier=D("1.5"), cap=D(3000))
    assert (capped.amount, capped.capped, capped.base) == (D("3000.00"), True, D(10000))
    under = rebate_compute(D(100000), BANDS, mode="retroactive", multiplier=D("1.5"), cap=D(3000))
    assert (under.amount, under.capped) == (D("3000.00"), False)  # exactly at the cap is not over it
    assert amount("100000", "incremental", multiplier=D(2), cap=D(1)) == D("0.00")


def test_next_band():
    assert rebate_next_band(D("99999.99"), BANDS) == NextBand(D(100000), D(2), D("0.01"))
    assert rebate_next_band(D(100000), BANDS) == NextBand(D(250000), D(4), D(150000))
    assert rebate_next_band(D(250000), BANDS) is None
    # The minimum counts as a threshold of its own.
    assert rebate_next_band(D(10000), BANDS, minimum=D(50000)) == NextBand(D(50000), D(0), D(40000))


def test_marginal_value_of_the_next_thousand():
    kwargs = {"minimum": D(0), "cap": None, "multiplier": D(1)}
    # Crossing into the 2% band retroactively: 100,500 x 2% = 2,010.
    assert rebate_marginal_value(D(99500), BANDS, mode="retroactive", **kwargs) == D("2010.00")
    assert rebate_marginal_value(D(99500), BANDS, mode="incremental", **kwargs) == D("10.00")
    assert rebate_marginal_value(D(150000), BANDS, mode="retroactive", **kwargs) == D("20.00")
    capped = {**kwargs, "cap": D(3000)}
    assert rebate_marginal_value(D(150000), BANDS, mode="retroactive", **capped) == D("0.00")


def test_capped_running():
    assert capped_running([D(10), D(20), D(30)], D(45)) == [D(10), D(20), D(15)]
    assert capped_running([D(50), D(10)], D(45)) == [D(45), D(0)]
    assert capped_running([D(10), D(20)], None) == [D(10), D(20)]
    assert capped_running([], D(5)) == []


@pytest.mark.parametrize(
    ("starts_on", "term", "share", "period", "months"),
    [
        (date(2026, 2, 15), 12, None, "2026-Q1", 2),  # February and March
        (date(2026, 2, 15), 12, 1, "2026-Q1", 1),  # shared for its first month only
        (date(2025, 6, 1), None, 12, "2026-Q2", 2),  # June 2025 + 12 months ends in May 2026
        (date(2025, 6, 1), None, None, "2026-Q2", 3),  # ongoing, for life
        (date(2025, 6, 1), 3, None, "2026-Q2", 0),  # ended in August 2025
        (date(2026, 7, 1), 12, None, "2026-Q2", 0),  # starts after the period
        (date(2026, 4, 30), 1, None, "2026-04", 1),
    ],
)
def test_subscription_months_in(starts_on, term, share, period, months):
    p = parse_period(period)
    assert subscription_months_in(starts_on, term, share, p.starts_on, p.ends_on) == months


# --- periods ---------------------------------------------------------------------------------------------


def test_parse_periods_and_month_ends():
    q3 = parse_period("2026-Q3")
    assert (q3.starts_on, q3.ends_on, q3.scheme, q3.days) == (date(2026, 7, 1), date(2026, 9, 30), "quarter", 92)
    assert parse_period("2024-02").ends_on == date(2024, 2, 29)  # leap year
    assert parse_period("2026-02").ends_on == date(2026, 2, 28)
    assert parse_period("2000-02").ends_on == date(2000, 2, 29)
    assert parse_period("2100-02").ends_on == date(2100, 2, 28)
    assert parse_period("2026-12").ends_on == date(2026, 12, 31)
    assert parse_period("2026-04").ends_on == date(2026, 4, 30)
    assert parse_period(" 2026 ").days == 365 and parse_period("2024").days == 366
    assert parse_period("2024-Q1").days == 91 and parse_period("2026-Q1").days == 90


@pytest.mark.parametrize("key", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26", "", "2026-7", "Q3-2026", None])
def test_parse_period_rejects(key):
    with pytest.raises(ValueError, match="is not a period"):
        parse_period(key)


def test_parse_period_with_a_scheme():
    assert parse_period("2026-Q3", "quarter").key == "2026-Q3"
    with pytest.raises(ValueError, match="not a month period"):
        parse_period("2026-Q3", "month")
    with pytest.raises(ValueError, match="Unknown period scheme"):
        period_containing(date(2026, 1, 1), "week")


def test_containing_previous_next():
    q = period_containing(date(2026, 12, 31), "quarter")
    assert q.key == "2026-Q4" and q.contains(date(2026, 10, 1)) and not q.contains(date(2027, 1, 1))
    assert q.next().key == "2027-Q1" and q.previous().key == "2026-Q3"
    assert parse_period("2026-Q1").previous().key == "2025-Q4"
    march = parse_period("2024-03")
    assert (march.previous().key, march.previous().ends_on) == ("2024-02", date(2024, 2, 29))
    assert parse_period("2026-12").next().key == "2027-01"
    assert parse_period("2026").next().key == "2027" and parse_period("2026").previous().key == "2025"
    assert period_containing(date(2024, 2, 29), "month").key == "2024-02"
    keys = [p.key for p in periods_overlapping(date(2025, 11, 15), date(2026, 4, 1), "quarter")]
    assert keys == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert month_index(date(2026, 1, 31)) - month_index(date(2025, 12, 1)) == 1


# --- parameters ------------------------------------------------------------------------------------------


def errors_of(kind, params, **kwargs):
    with pytest.raises(RuleError) as info:
        validate_params(kind, params, **kwargs)
    return info.value.fields


def test_rebate_params_normalised():
    clean = validate_params("rebate", {"bands": [{"from": 100000, "rate": "2"}], "cap": "500"})
    assert clean["bands"] == [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}]
    assert (clean["mode"], clean["minimum"], clean["cap"], clean["use_tier_multiplier"]) == (
        "retroactive",
        "0",
        "500",
        True,
    )
    assert bands_from(clean) == [Band(D(0), D(0)), Band(D(100000), D(2))]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "bands"),
        ({"bands": []}, "bands"),
        ({"bands": ["x"]}, "bands"),
        ({"bands": [{"from": "0", "rate": "101"}]}, "bands"),
        ({"bands": [{"from": "0", "rate": "x"}]}, "bands"),
        ({"bands": [{"from": "0", "rate": "1"}, {"from": "0", "rate": "2"}]}, "bands"),
        ({"bands": [{"from": "200", "rate": "1"}, {"from": "100", "rate": "2"}]}, "bands"),
        ({"bands": [{"from": "0", "rate": "1"}], "mode": "linear"}, "mode"),
        ({"bands": [{"from": "0", "rate": "1"}], "cap": "-1"}, "cap"),
        ({"bands": [{"from": "0", "rate": "1"}], "minimum": "NaN"}, "minimum"),
        ({"bands": [{"from": "0", "rate": "1"}], "sale_kinds": ["lease"]}, "sale_kinds"),
        ({"bands": [{"from": "0", "rate": "1"}], "product_families": "hardware"}, "product_families"),
    ],
)
def test_rebate_params_errors(params, field):
    assert field in errors_of("rebate", params)


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("spif", {"basis": "per_unit", "products": [1]}, "amount"),
        ("spif", {"basis": "percent", "products": [1]}, "rate"),
        ("spif", {"basis": "per_unit", "amount": "50"}, "products"),
        ("spif", {"basis": "per_seat", "amount": "50", "products": [1]}, "basis"),
        ("spif", {"amount": "50", "products": [1], "cap_per_rep": "-5"}, "cap_per_rep"),
        ("points", {}, "points"),
        ("points", {"points": {"deal_won": 0}}, "points"),
        ("points", {"points": {"deal_won": 1.5}}, "points"),
        ("points", {"points": {"deal_won": 5}, "caps": {"webinar_attended": 10}}, "caps"),
        ("points", {"points": {"deal_won": 5}, "caps": {"deal_won": 0}}, "caps"),
        ("points", {"points": {"deal_won": 5}, "caps": ["deal_won"]}, "caps"),
        ("revenue_share", {}, "rate"),
        ("revenue_share", {"rate": "5", "months": 0}, "months"),
        ("revenue_share", {"rate": "5", "renewal_rate": "120"}, "renewal_rate"),
        ("registration_bonus", {"basis": "flat"}, "amount"),
        ("registration_bonus", {"basis": "percent"}, "rate"),
        ("registration_bonus", {"basis": "bounty", "amount": "5"}, "basis"),
        ("lottery", {}, "kind"),
        ("rebate", ["not", "a", "mapping"], "params"),
    ],
)
def test_params_errors_per_kind(kind, params, field):
    assert field in errors_of(kind, params)


def test_points_params_check_the_registry():
    fields = errors_of("points", {"points": {"moon_landing": 5}}, event_kinds=["deal_won"])
    assert "moon_landing" in " ".join(fields["points"])
    clean = validate_params("points", {"points": {"deal_won": 5, "deal_registered": 1}, "caps": {"deal_won": 50}})
    assert clean == {"points": {"deal_registered": 1, "deal_won": 5}, "caps": {"deal_won": 50}}


def test_other_kinds_normalised():
    assert validate_params("spif", {"basis": "percent", "rate": "1.5", "products": [3, 1, 3]}) == {
        "basis": "percent",
        "amount": None,
        "rate": "1.5",
        "products": [1, 3],
        "cap_per_rep": None,
    }
    assert validate_params("revenue_share", {"rate": "5"}) == {"rate": "5", "renewal_rate": None, "months": None}
    assert validate_params("registration_bonus", {"amount": "250"}) == {"basis": "flat", "amount": "250", "rate": None}


# --- properties ------------------------------------------------------------------------------------------

cents = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def band_lists(draw, increasing_rates=True):
    floors = sorted(draw(st.sets(st.integers(min_value=1, max_value=5_000_000), max_size=4)))
    drawn = draw(st.lists(rates, min_size=len(floors) + 1, max_size=len(floors) + 1))
    if increasing_rates:
        drawn = sorted(drawn)
    return [Band(D(floor), rate) for floor, rate in zip([0, *floors], drawn, strict=True)]


@given(band_lists(), cents)
def test_incremental_never_exceeds_retroactive(bands, revenue):
    retro = rebate_compute(revenue, bands, mode="retroactive")
    incr = rebate_compute(revenue, bands, mode="incremental")
    assert incr.base <= retro.base
    assert incr.amount <= retro.amount


@given(
    band_lists(),
    st.sampled_from(["retroactive", "incremental"]),
    cents,
    cents,
    st.one_of(st.none(), cents),
    cents,
    st.decimals(min_value=0, max_value=3, places=2),
)
def test_rebate_is_monotonic_in_revenue(bands, mode, a, b, cap, minimum, multiplier):
    low, high = sorted([a, b])
    kwargs = {"mode": mode, "cap": cap, "minimum": minimum, "multiplier": multiplier}
    assert rebate_compute(low, bands, **kwargs).amount <= rebate_compute(high, bands, **kwargs).amount


@given(st.lists(cents, max_size=20), st.one_of(st.none(), cents))
def test_capped_running_respects_the_cap(amounts, cap):
    paid = capped_running(amounts, cap)
    assert len(paid) == len(amounts)
    assert all(D(0) <= line <= full for line, full in zip(paid, amounts, strict=True))
    if cap is None:
        assert paid == amounts
    else:
        running = D(0)
        for line in paid:
            running += line
            assert running <= cap
        assert sum(paid, D(0)) == min(sum(amounts, D(0)), cap)


def _sql_amount(params, revenue, multiplier):
    sql, sql_params = rebate_amount_sql(params, "v.revenue", "v.multiplier")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql} FROM (SELECT %s::numeric AS revenue, %s::numeric AS multiplier) v",
            [*sql_params, revenue, multiplier],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    band_lists(increasing_rates=False),
    st.sampled_from(["retroactive", "incremental"]),
    st.one_of(cents, st.sampled_from([D("99999.99"), D("100000"), D("100000.01"), D("100000.25")])),
    st.decimals(min_value=0, max_value=3, places=2),
    st.one_of(st.none(), cents),
    st.one_of(st.just(D(0)), cents),
)
def test_rebate_sql_equals_rebate_compute(bands, mode, revenue, multiplier, cap, minimum):
    params = validate_params(
        "rebate",
        {
            "bands": [{"from": str(b.floor), "rate": str(b.rate)} for b in bands],
            "mode": mode,
            "cap": None if cap is None else str(cap),
            "minimum": str(minimum),
        },
    )
    expected = rebate_compute(
        revenue, bands_from(params), mode=mode, minimum=minimum, cap=cap, multiplier=multiplier
    ).amount
    assert _sql_amount(params, revenue, multiplier) == expected


@pytest.mark.django_db
def test_rebate_sql_rounds_half_up_like_python():
    params = validate_params("rebate", {"bands": [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}]})
    assert _sql_amount(params, D("100000.25"), D(1)) == D("2000.01")
    assert _sql_amount(params, D("99999.99"), D(1)) == D("0.00")
