"""MDF ROI selector and rules: every figure of every grouping of the hand-computed case (tests/mdf/roi_world.py),
filters, partner scoping, currencies, another tenant's rows, and two queries whatever the number of campaigns."""

import datetime
from decimal import Decimal

import pytest

from mdf.models import MdfRequest
from mdf.rules import cost_per_lead, roi
from mdf.selectors import mdf_roi
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory
from tests.mdf.factories import AllocationFactory, FundFactory
from tests.mdf.roi_world import C1, C2, C3, C4, C5, EXPECTED, TOTAL, campaign, campaign_lead, roi_world

D = Decimal


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
    roi_world(tenant_b, prefix="Globex-")  # another vendor's campaigns: absent from tenant A's figures
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
    # every amount in cents, a sum over nothing included (C4 and C5 have no reimbursed claim)
    amounts = [
        getattr(row, name) for row in report.rows + report.totals for name in ("spend", "partner_cost", "revenue")
    ]
    assert {amount.as_tuple().exponent for amount in amounts} == {-2}


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
def test_two_queries_whatever_the_number_of_campaigns(world, tenant_a, django_assert_num_queries, group_by):
    with tenant_context(tenant_a):
        with django_assert_num_queries(2):
            before = mdf_roi(requests=MdfRequest.objects.all(), group_by=group_by)
        for n in range(6):
            extra = campaign(f"N{n}", world.campaigns["C1"].allocation, world.event, datetime.date(2026, 12, 1))
            lead = campaign_lead(extra, ("won", "10.00"))
            DealFactory(partner=world.alpha, lead=lead, status="lost")
        with django_assert_num_queries(2):
            after = mdf_roi(requests=MdfRequest.objects.all(), group_by=group_by)
    # six more campaigns (unclaimed): six more leads, twelve more deals, six won for 60.00 in all
    assert after.totals[0].campaigns == before.totals[0].campaigns + 6
    assert (after.totals[0].leads, after.totals[0].deals, after.totals[0].won) == (18, 21, 12)
    assert after.totals[0].revenue == D("28905.00")
