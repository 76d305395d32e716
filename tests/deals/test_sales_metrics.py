"""Tier and analytics metrics of the deals app: hand-computed values, the trailing window, one query each."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from deals.metric_sources import SALES_METRICS
from deals.models import LeadAssignment
from partners.models import Partner
from partners.selectors import metric_values_for
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, LeadFactory, PartnerFactory, ProgramFactory, SaleRecordFactory

AS_OF = date(2026, 3, 31)  # window: 2025-04-01 … 2026-03-31


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def partners(tenant_a, tenant_b):
    program = ProgramFactory(tenant=tenant_a)
    p1, p2, p3 = (PartnerFactory(program=program) for _ in range(3))
    return {"p1": p1, "p2": p2, "p3": p3, "foreign": PartnerFactory(program__tenant=tenant_b)}


def values(tenant, key) -> dict[int, Decimal]:
    with tenant_context(tenant):
        return metric_values_for(Partner.objects.all(), [key], as_of=AS_OF)


def by_key(tenant, key, partners) -> dict[str, Decimal]:
    found = values(tenant, key)
    return {name: found[p.pk][key] for name, p in partners.items() if p.pk in found}


def test_revenue_12m_sums_the_vendor_currency_within_the_window(tenant_a, partners):
    p1, p2 = partners["p1"], partners["p2"]
    for partner, booked_on, amount, currency in [
        (p1, date(2025, 4, 1), "1000.00", "USD"),  # first day of the window
        (p1, date(2026, 3, 31), "250.50", "USD"),  # the day itself
        (p1, date(2025, 12, 24), "-100.25", "USD"),  # a credit note
        (p1, date(2025, 3, 31), "999.00", "USD"),  # a day too early
        (p1, date(2026, 4, 1), "500.00", "USD"),  # after as_of
        (p1, date(2025, 6, 1), "300.00", "EUR"),  # another currency: not counted
        (p2, date(2025, 9, 9), "42.00", "USD"),
        (partners["foreign"], date(2025, 9, 9), "7.00", "USD"),
    ]:
        SaleRecordFactory(partner=partner, booked_on=booked_on, amount=Decimal(amount), currency=currency)
    assert by_key(tenant_a, "revenue_12m", partners) == {"p1": Decimal("1150.25"), "p2": Decimal("42.00")}


def test_deal_counts_and_win_rate(tenant_a, partners):
    p1, p2 = partners["p1"], partners["p2"]
    inside, early = date(2025, 10, 1), date(2025, 3, 31)
    for partner, status, decided, closed in [
        (p1, "won", inside, date(2025, 4, 1)),
        (p1, "won", inside, AS_OF),
        (p1, "won", early, early),  # closed a day before the window
        (p1, "lost", inside, date(2025, 12, 1)),
        (p1, "approved", inside, None),
        (p1, "expired", inside, None),
        (p1, "approved", early, None),  # approved before the window
        (p1, "rejected", inside, None),
        (p1, "submitted", None, None),
        (p2, "lost", inside, date(2026, 1, 5)),
    ]:
        DealFactory(
            partner=partner,
            status=status,
            decided_at=at(decided) if decided else None,
            closed_at=at(closed, 23, 59) if closed else None,
        )
    assert by_key(tenant_a, "deals_won", partners) == {"p1": Decimal(2)}
    # approved in the window and still approved, won, lost or expired: 2 won + 1 lost + approved + expired
    assert by_key(tenant_a, "approved_registrations", partners) == {"p1": Decimal(5), "p2": Decimal(1)}
    # p1: 2 won of 3 closed in the window → 66.666… → 66.67 (half up); p2: 0 of 1
    assert by_key(tenant_a, "registration_win_rate", partners) == {"p1": Decimal("66.67"), "p2": Decimal("0.00")}


def test_lead_median_time_to_accept(tenant_a, partners):
    p1, p2 = partners["p1"], partners["p2"]
    with tenant_context(tenant_a):
        for partner, outcome, decided, hours in [
            (p1, "accepted", date(2025, 5, 1), 2),
            (p1, "accepted", date(2025, 6, 1), 10),
            (p1, "accepted", date(2025, 7, 1), 5),
            (p1, "accepted", date(2026, 3, 31), 4),
            (p1, "accepted", date(2025, 3, 1), 100),  # accepted before the window
            (p1, "rejected", date(2025, 8, 1), 1),  # not an acceptance
            (p2, "accepted", date(2025, 9, 1), 1.5),
        ]:
            assignment = LeadAssignment.objects.create(
                lead=LeadFactory(tenant=tenant_a), partner=partner, method="manual", outcome=outcome,
                decided_at=at(decided),
            )  # fmt: skip
            LeadAssignment.objects.filter(pk=assignment.pk).update(assigned_at=at(decided) - timedelta(hours=hours))
    # p1: median of 2, 4, 5 and 10 hours = 4.5
    assert by_key(tenant_a, "lead_median_time_to_accept_hours", partners) == {
        "p1": Decimal("4.50"),
        "p2": Decimal("1.50"),
    }


@pytest.mark.parametrize("metric", SALES_METRICS, ids=lambda metric: metric.key)
def test_each_metric_is_one_query_for_any_number_of_partners(tenant_a, partners, metric, django_assert_num_queries):
    program = partners["p1"].program
    for partner in (partners["p1"], partners["p2"]):
        SaleRecordFactory(partner=partner, booked_on=date(2025, 9, 1))
        DealFactory(partner=partner, status="won", decided_at=at(date(2025, 9, 1)), closed_at=at(date(2025, 9, 2)))
    with tenant_context(tenant_a):
        with django_assert_num_queries(1):
            metric.compute(Partner.objects.all(), as_of=AS_OF)
        for _ in range(5):
            PartnerFactory(program=program)
        with django_assert_num_queries(1):
            metric.compute(Partner.objects.filter(program=program), as_of=AS_OF)


def test_without_as_of_the_window_ends_today(tenant_a, partners):
    SaleRecordFactory(partner=partners["p1"], booked_on=timezone.localdate(), amount=Decimal("10.00"))
    with tenant_context(tenant_a):
        revenue = next(m for m in SALES_METRICS if m.key == "revenue_12m")
        assert revenue.compute(Partner.objects.all()) == {partners["p1"].pk: Decimal("10.00")}
