"""MDF ROI selector and rules: every figure of every grouping of the hand-computed case (tests/mdf/roi_world.py),
filters, partner scoping, currencies, another tenant's rows, and one query whatever the number of campaigns."""

import datetime
from decimal import Decimal

import pytest

from mdf.models import MdfRequest
from mdf.rules import cost_per_lead, roi
from mdf.selectors import mdf_roi
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory
from tests.mdf.factories import AllocationFactory, FundFactory
from tests.mdf.roi_world import campaign, campaign_lead, roi_world

D = Decimal

# (key, label, currency, campaigns, spend, partner_cost, leads, deals, won, won_other_currency, revenue, roi,
#  cost_per_lead)
# C1: spend 1000.00 (approved), leads 4; deals won 10000 + won 2345 + lost (the draft does not count) = 3, won 2,
#     revenue 12345.00; ROI 12345 / 1000 = 12.345 → 12.35 (half-up); per lead 1000 / 4 = 250.00.
C1 = ("C1", "Campaign C1", "USD", 1, D("1000.00"), D("2400.00"), 4, 3, 2, 0, D("12345.00"), D("12.35"), D("250.00"))
# C3: spend 800.00 (partially approved), leads 3; submitted + won 5000 + approved = 3 deals, won 1;
#     ROI 5000 / 800 = 6.25; per lead 800 / 3 = 266.666… → 266.67.
C3 = ("C3", "Campaign C3", "USD", 1, D("800.00"), D("1800.00"), 3, 3, 1, 0, D("5000.00"), D("6.25"), D("266.67"))
# C4: claim rejected → spend 0, partner cost 0; leads 2, one won 2500; ROI none (no spend); per lead 0 / 2 = 0.00.
C4 = ("C4", "Campaign C4", "USD", 1, D("0.00"), D("0.00"), 2, 1, 1, 0, D("2500.00"), None, D("0.00"))
# C2: spend 1500.00 (paid), leads 3; won 9000 USD + won 4000 EUR (not converted: other currency) = 2 deals, won 2,
#     revenue 9000.00; ROI 9000 / 1500 = 6.00; per lead 1500 / 3 = 500.00.
C2 = ("C2", "Campaign C2", "USD", 1, D("1500.00"), D("3000.00"), 3, 2, 2, 1, D("9000.00"), D("6.00"), D("500.00"))
# C5: draft claim, no leads: all zero, ROI and per lead none.
C5 = ("C5", "Campaign C5", "USD", 1, D("0.00"), D("0.00"), 0, 0, 0, 0, D("0.00"), None, None)
# All five: spend 1000 + 800 + 1500 = 3300.00; cost 2400 + 1800 + 3000 = 7200.00; leads 4 + 3 + 2 + 3 = 12;
#   deals 3 + 3 + 1 + 2 = 9; won 2 + 1 + 1 + 2 = 6; revenue 12345 + 5000 + 2500 + 9000 = 28845.00;
#   ROI 28845 / 3300 = 8.7409… → 8.74; per lead 3300 / 12 = 275.00.
TOTAL = ("total", "Total", "USD", 5, D("3300.00"), D("7200.00"), 12, 9, 6, 1, D("28845.00"), D("8.74"), D("275.00"))

EXPECTED = {
    # by start date: C1 07-10, C3 08-20, C4 09-10, C2 10-05, C5 10-20
    "activity": [C1, C3, C4, C2, C5],
    "activity_type": [
        # webinar (position 1) = C1 + C3 + C5: spend 1800.00, cost 4200.00, leads 7, deals 6, won 3,
        #   revenue 17345.00; ROI 17345 / 1800 = 9.636… → 9.64; per lead 1800 / 7 = 257.142… → 257.14
        ("webinar", "Webinar", "USD", 3, D("1800.00"), D("4200.00"), 7, 6, 3, 0, D("17345.00"), D("9.64"), D("257.14")),
        # event (position 2) = C4 + C2: spend 1500.00, cost 3000.00, leads 5, deals 3, won 3 (1 in EUR),
        #   revenue 11500.00; ROI 11500 / 1500 = 7.666… → 7.67; per lead 1500 / 5 = 300.00
        (
            "event",
            "Event / booth",
            "USD",
            2,
            D("1500.00"),
            D("3000.00"),
            5,
            3,
            3,
            1,
            D("11500.00"),
            D("7.67"),
            D("300.00"),
        ),
    ],
    "partner": [
        # Alpha = C1 + C2 + C5: spend 2500.00, cost 5400.00, leads 7, deals 5, won 4 (1 in EUR), revenue 21345.00;
        #   ROI 21345 / 2500 = 8.538 → 8.54; per lead 2500 / 7 = 357.142… → 357.14
        (
            "alpha",
            "Alpha Partner",
            "USD",
            3,
            D("2500.00"),
            D("5400.00"),
            7,
            5,
            4,
            1,
            D("21345.00"),
            D("8.54"),
            D("357.14"),
        ),
        # Beta = C3 + C4: spend 800.00, cost 1800.00, leads 5, deals 4, won 2, revenue 7500.00;
        #   ROI 7500 / 800 = 9.375 → 9.38 (half-up); per lead 800 / 5 = 160.00
        ("beta", "Beta Partner", "USD", 2, D("800.00"), D("1800.00"), 5, 4, 2, 0, D("7500.00"), D("9.38"), D("160.00")),
    ],
    "period": [
        # 2026-Q3 = C1 + C3 + C4: spend 1800.00, cost 4200.00, leads 9, deals 7, won 4, revenue 19845.00;
        #   ROI 19845 / 1800 = 11.025 → 11.03 (half-up); per lead 1800 / 9 = 200.00
        (
            "2026-Q3",
            "2026-Q3",
            "USD",
            3,
            D("1800.00"),
            D("4200.00"),
            9,
            7,
            4,
            0,
            D("19845.00"),
            D("11.03"),
            D("200.00"),
        ),
        # 2026-Q4 = C2 + C5: spend 1500.00, cost 3000.00, leads 3, deals 2, won 2 (1 in EUR), revenue 9000.00;
        #   ROI 6.00; per lead 500.00
        ("2026-Q4", "2026-Q4", "USD", 2, D("1500.00"), D("3000.00"), 3, 2, 2, 1, D("9000.00"), D("6.00"), D("500.00")),
    ],
}


def figures(row) -> tuple:
    return (
        row.key,
        row.label,
        row.currency,
        row.campaigns,
        row.spend,
        row.partner_cost,
        row.leads,
        row.deals,
        row.won,
        row.won_other_currency,
        row.revenue,
        row.roi,
        row.cost_per_lead,
    )


def with_partner_keys(rows, world) -> list[tuple]:
    keys = {"alpha": str(world.alpha.pk), "beta": str(world.beta.pk)}
    return [(keys.get(row[0], row[0]), *row[1:]) for row in rows]


@pytest.fixture
def world(tenant_a, tenant_b):
    roi_world(tenant_b)  # another vendor's campaigns: absent from tenant A's figures
    return roi_world(tenant_a)


def test_roi_is_revenue_per_spend_half_up():
    assert roi(D("12345.00"), D("1000.00")) == D("12.35")
    assert roi(D("7500.00"), D("800.00")) == D("9.38")
    assert roi(D("1.00"), D("3.00")) == D("0.33")
    assert roi(D("0.00"), D("500.00")) == D("0.00")
    assert roi(D("2500.00"), D("0.00")) is None


def test_cost_per_lead_is_spend_per_lead_half_up():
    assert cost_per_lead(D("800.00"), 3) == D("266.67")
    assert cost_per_lead(D("1000.00"), 8) == D("125.00")
    assert cost_per_lead(D("0.05"), 2) == D("0.03")
    assert cost_per_lead(D("0.00"), 2) == D("0.00")
    assert cost_per_lead(D("500.00"), 0) is None


@pytest.mark.django_db
@pytest.mark.parametrize("group_by", ["activity", "activity_type", "partner", "period"])
def test_every_figure_of_every_grouping(world, tenant_a, group_by):
    with tenant_context(tenant_a):
        report = mdf_roi(requests=MdfRequest.objects.all(), group_by=group_by)
    assert report.group_by == group_by
    assert [figures(row) for row in report.rows] == with_partner_keys(EXPECTED[group_by], world)
    assert [figures(row) for row in report.totals] == [TOTAL]


@pytest.mark.django_db
def test_a_partner_sees_its_own_campaigns(world, tenant_a):
    with tenant_context(tenant_a):
        report = mdf_roi(requests=MdfRequest.objects.filter(partner=world.beta), group_by="activity")
    assert [figures(row) for row in report.rows] == [C3, C4]
    # Beta: spend 800.00, cost 1800.00, leads 5, deals 4, won 2, revenue 7500.00 → ROI 9.38, per lead 160.00
    assert [figures(row) for row in report.totals] == [
        ("total", "Total", "USD", 2, D("800.00"), D("1800.00"), 5, 4, 2, 0, D("7500.00"), D("9.38"), D("160.00"))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "campaigns"),
    [
        (lambda w: {"fund": w.q4}, [C2, C5]),
        (lambda w: {"partner": w.alpha}, [C1, C2, C5]),
        (lambda w: {"activity_type": w.event}, [C4, C2]),
        # activities by their start date, both ends included
        (lambda w: {"starts_from": datetime.date(2026, 8, 20), "starts_to": datetime.date(2026, 10, 5)}, [C3, C4, C2]),
        (lambda w: {"starts_from": datetime.date(2026, 10, 21)}, []),
        (lambda w: {"fund": w.q3, "partner": w.alpha, "activity_type": w.webinar}, [C1]),
    ],
)
def test_filters_select_campaigns(world, tenant_a, filters, campaigns):
    with tenant_context(tenant_a):
        report = mdf_roi(requests=MdfRequest.objects.all(), group_by="activity", **filters(world))
    assert [figures(row) for row in report.rows] == campaigns
    assert len(report.totals) == (1 if campaigns else 0)


@pytest.mark.django_db
def test_each_currency_has_its_own_rows_and_totals(world, tenant_a):
    # given a EUR fund with one campaign of Alpha: a webinar paid 400.00 EUR, one lead won 2000.00 EUR
    with tenant_context(tenant_a):
        fund = FundFactory(tenant=tenant_a, name="MDF EUR", currency="EUR")
        allocation = AllocationFactory(tenant=tenant_a, fund=fund, partner=world.alpha)
        eur = campaign("E1", allocation, world.webinar, datetime.date(2026, 7, 1), claim=("paid", "400", "400", "900"))
        campaign_lead(eur, ("won", "2000.00", "EUR"), ("won", "100.00", "USD"))
        # when
        report = mdf_roi(requests=MdfRequest.objects.all(), group_by="activity_type")
    # then the webinars are two rows, one per currency; USD figures unchanged
    webinar_eur = (
        "webinar",
        "Webinar",
        "EUR",
        1,
        D("400.00"),
        D("900.00"),
        1,
        2,
        2,
        1,
        D("2000.00"),
        D("5.00"),
        D("400.00"),
    )
    assert [figures(row) for row in report.rows] == [
        webinar_eur,
        with_partner_keys(EXPECTED["activity_type"], world)[0],
        with_partner_keys(EXPECTED["activity_type"], world)[1],
    ]
    assert [figures(row) for row in report.totals] == [("total", "Total", *webinar_eur[2:]), TOTAL]


@pytest.mark.django_db
@pytest.mark.parametrize("group_by", ["activity", "activity_type", "partner", "period"])
def test_one_query_whatever_the_number_of_campaigns(world, tenant_a, django_assert_num_queries, group_by):
    with tenant_context(tenant_a):
        with django_assert_num_queries(1):
            before = mdf_roi(requests=MdfRequest.objects.all(), group_by=group_by)
        for n in range(6):
            extra = campaign(f"N{n}", world.campaigns["C1"].allocation, world.event, datetime.date(2026, 12, 1))
            lead = campaign_lead(extra, ("won", "10.00"))
            DealFactory(partner=world.alpha, lead=lead, status="lost")
        with django_assert_num_queries(1):
            after = mdf_roi(requests=MdfRequest.objects.all(), group_by=group_by)
    # six more campaigns (unclaimed): six more leads, twelve more deals, six won for 60.00 in all
    assert after.totals[0].campaigns == before.totals[0].campaigns + 6
    assert (after.totals[0].leads, after.totals[0].deals, after.totals[0].won) == (18, 21, 12)
    assert after.totals[0].revenue == D("28905.00")
