"""Co-op accrual: a share of each active partner's net revenue of the previous period, in the fund's currency,
set-based, once per partner and all or nothing against the budget (hand-computed figures)."""

from datetime import date
from decimal import Decimal

import pytest

from mdf.models import Allocation
from mdf.rules import coop_amount, previous_period
from mdf.services import allocations_coop
from prm.errors import StateConflict
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, ProgramFactory, SaleRecordFactory

from .factories import Q3_2026, AllocationFactory, FundFactory


def test_the_previous_period_has_the_fund_period_length():
    assert previous_period("quarter", date(2026, 7, 1)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert previous_period("quarter", date(2026, 1, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert previous_period("half", date(2026, 7, 1)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert previous_period("year", date(2026, 1, 1)) == (date(2025, 1, 1), date(2025, 12, 31))
    # A period starting on a day a shorter month lacks: that month's last day.
    assert previous_period("quarter", date(2026, 5, 31)) == (date(2026, 2, 28), date(2026, 5, 30))


def test_the_accrual_is_half_up_to_the_cent_and_never_negative():
    assert coop_amount(Decimal("14000.00"), Decimal("3.5")) == Decimal("490.00")
    assert coop_amount(Decimal("143.00"), Decimal("3.5")) == Decimal("5.01")  # 5.005 → 5.01, not 5.00
    assert coop_amount(Decimal("142.99"), Decimal("3.5")) == Decimal("5.00")  # 5.00465
    assert coop_amount(Decimal("-200.00"), Decimal("3.5")) == Decimal("0.00")


@pytest.fixture
def sales(tenant_a):
    """Q3 2026 fund at 3.5 % with sales around Q2 2026 (1 April to 30 June)."""
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        ann, bob, cid, dan, eve = (PartnerFactory(program=program, name=name) for name in "ABCDE")
        dan.status = "suspended"
        dan.save(update_fields=["status"])
        for partner, booked_on, amount, currency in [
            (ann, date(2026, 4, 1), "10000.00", "USD"),
            (ann, date(2026, 6, 30), "5000.00", "USD"),
            (ann, date(2026, 5, 12), "-1000.00", "USD"),  # a credit note
            (ann, date(2026, 5, 12), "20000.00", "EUR"),  # another currency
            (ann, date(2026, 3, 31), "50000.00", "USD"),  # the quarter before
            (ann, date(2026, 7, 1), "50000.00", "USD"),  # the fund's own quarter
            (bob, date(2026, 5, 2), "143.00", "USD"),
            (cid, date(2026, 5, 2), "-200.00", "USD"),  # only a credit note
            (dan, date(2026, 5, 2), "9000.00", "USD"),  # not active
            (eve, date(2026, 5, 2), "9000.00", "USD"),  # has its co-op allocation already
        ]:
            SaleRecordFactory(partner=partner, booked_on=booked_on, amount=Decimal(amount), currency=currency)
        fund = FundFactory(**Q3_2026, tenant=tenant_a, coop_accrual_pct=Decimal("3.5"), allocate_by_tier=False)
        AllocationFactory(fund=fund, partner=eve, source="coop", amount=Decimal("1.00"))
        yield {"fund": fund, "ann": ann, "bob": bob, "eve": eve}


def _coop(fund):
    rows = Allocation.objects.filter(fund=fund, source="coop").order_by("partner__name")
    return [(row.partner.name, row.amount) for row in rows]


@pytest.mark.django_db
def test_coop_allocations_from_the_previous_quarter_revenue(sales, django_assert_num_queries):
    fund = sales["fund"]
    with tenant_context(fund.tenant):
        # Savepoint, lock, revenue (one grouped query over the sales), the fund's total, one insert, the audit (its
        # content type and tenant, the event), release: whatever the number of partners.
        with django_assert_num_queries(9, exact=False) as queries:
            created = allocations_coop(fund=fund)
        assert sum("deals_salerecord" in query["sql"] for query in queries.captured_queries) == 1

        assert sorted((row.partner.name, row.amount) for row in created) == [
            ("A", Decimal("490.00")),  # 3.5 % of 10,000 + 5,000 − 1,000
            ("B", Decimal("5.01")),  # 3.5 % of 143 = 5.005
        ]
        assert _coop(fund) == [("A", Decimal("490.00")), ("B", Decimal("5.01")), ("E", Decimal("1.00"))]
        assert created[0].note == "3.50% of revenue from 2026-04-01 to 2026-06-30"

        # A rerun adds nothing, even with a late sale in the previous quarter: who has its accrual keeps it.
        SaleRecordFactory(partner=sales["ann"], booked_on=date(2026, 6, 1), amount=Decimal("1000.00"))
        assert allocations_coop(fund=fund) == []
        assert _coop(fund) == [("A", Decimal("490.00")), ("B", Decimal("5.01")), ("E", Decimal("1.00"))]


@pytest.mark.django_db
def test_coop_allocations_are_all_or_nothing_against_the_budget(sales):
    with tenant_context(sales["fund"].tenant):
        tight = FundFactory(
            **Q3_2026,
            tenant=sales["fund"].tenant,
            budget=Decimal("495.00"),
            coop_accrual_pct=Decimal("3.5"),
            allocate_by_tier=False,
        )
        with pytest.raises(StateConflict) as refused:
            allocations_coop(fund=tight)  # 490.00 + 5.01 + 315.00 (E has none in this fund) = 810.01
        assert "495.00 USD left" in refused.value.message
        assert _coop(tight) == []

        # Exactly the budget fits.
        tight.budget = Decimal("810.01")
        tight.save(update_fields=["budget"])
        assert len(allocations_coop(fund=tight)) == 3


@pytest.mark.django_db
def test_a_fund_without_a_percentage_accrues_nothing(sales):
    with tenant_context(sales["fund"].tenant):
        plain = FundFactory(**Q3_2026, tenant=sales["fund"].tenant, coop_accrual_pct=None)
        assert allocations_coop(fund=plain) == []
        assert _coop(plain) == []


@pytest.mark.django_db
def test_half_year_funds_count_the_half_before(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a, name="H")
        SaleRecordFactory(partner=partner, booked_on=date(2026, 1, 1), amount=Decimal("1000.00"))
        SaleRecordFactory(partner=partner, booked_on=date(2026, 6, 30), amount=Decimal("1000.00"))
        SaleRecordFactory(partner=partner, booked_on=date(2025, 12, 31), amount=Decimal("1000.00"))
        fund = FundFactory(
            tenant=tenant_a, scheme="half", starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31),
            coop_accrual_pct=Decimal("10"),
        )  # fmt: skip
        assert [row.amount for row in allocations_coop(fund=fund)] == [Decimal("200.00")]
