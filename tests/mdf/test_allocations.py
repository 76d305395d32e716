"""Funds and allocations: the sum of a fund's allocations never passes its budget, also under concurrency."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from mdf.models import Allocation, Fund
from mdf.rules import fits_budget, tier_allocation
from mdf.services import allocation_set, allocations_by_tier, fund_allocated, fund_create
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, TenantFactory, TierFactory


def _fund(budget="1000.00", **values):
    return fund_create(
        actor=None,
        **{
            "name": "Q3 2026 MDF",
            "scheme": "quarter",
            "starts_on": date(2026, 7, 1),
            "ends_on": date(2026, 9, 30),
            "budget": Decimal(budget),
            "currency": "USD",
            **values,
        },
    )


def test_tier_benefits_scale_with_the_fund_period_and_budgets_are_inclusive():
    assert tier_allocation(Decimal("2500.00"), "quarter") == Decimal("2500.00")
    assert tier_allocation(Decimal("2500.00"), "half") == Decimal("5000.00")
    assert tier_allocation(Decimal("2500.00"), "year") == Decimal("10000.00")
    assert fits_budget(Decimal("1000"), Decimal("400"), Decimal("600"))
    assert not fits_budget(Decimal("1000"), Decimal("400"), Decimal("600.01"))


@pytest.mark.django_db
def test_allocations_stay_within_the_budget(tenant_a):
    with tenant_context(tenant_a):
        fund = _fund()
        first, second = PartnerFactory(program__tenant=tenant_a), PartnerFactory(program__tenant=tenant_a)
        allocation_set(actor=None, fund=fund, partner=first, amount=Decimal("600.00"))

        with pytest.raises(StateConflict) as refused:
            allocation_set(actor=None, fund=fund, partner=second, amount=Decimal("400.01"))
        assert "400.00 USD left" in refused.value.message
        allocation_set(actor=None, fund=fund, partner=second, amount=Decimal("400.00"))  # exactly the rest

        # Raising an allocation counts only its own new amount against the others.
        with pytest.raises(StateConflict):
            allocation_set(actor=None, fund=fund, partner=first, amount=Decimal("600.01"))
        allocation_set(actor=None, fund=fund, partner=first, amount=Decimal("100.00"))
        assert fund_allocated(fund) == Decimal("500.00")
        with pytest.raises(InvalidInput):
            allocation_set(actor=None, fund=fund, partner=first, amount=Decimal("-1"))

        # What expired went back to the fund and can be given again.
        Allocation.objects.filter(partner=second).update(expired_amount=Decimal("300.00"))
        allocation_set(actor=None, fund=fund, partner=first, amount=Decimal("900.00"))
        assert fund_allocated(fund) == Decimal("1000.00")


@pytest.mark.django_db
def test_a_bad_fund_is_refused_with_its_fields(tenant_a):
    with tenant_context(tenant_a), pytest.raises(InvalidInput) as refused:
        _fund(budget="-5", currency="EURO", ends_on=date(2026, 6, 30))
    assert {"budget", "currency"} <= set(refused.value.fields)


@pytest.mark.django_db
def test_tier_allocations_at_period_start_are_made_once_and_all_or_nothing(tenant_a):
    with tenant_context(tenant_a):
        gold = TierFactory(program__tenant=tenant_a, rank=1, mdf_allocation_per_quarter=Decimal("2500.00"))
        silver = TierFactory(program=gold.program, rank=0, name="Silver", mdf_allocation_per_quarter=Decimal("1000"))
        PartnerFactory(program=gold.program, tier=gold)
        PartnerFactory(program=gold.program, tier=silver)
        PartnerFactory(program=gold.program, tier=silver, status="suspended")  # not active: nothing
        PartnerFactory(program=gold.program)  # no tier: nothing

        half = _fund(budget="7000.00", scheme="half", ends_on=date(2026, 12, 31))
        allocation_set(actor=None, fund=half, partner=PartnerFactory(program=gold.program), amount=Decimal("1000"))
        with pytest.raises(StateConflict):  # 5,000 + 2,000 + the 1,000 already given would pass 7,000
            allocations_by_tier(fund=half)
        assert Allocation.objects.filter(fund=half, source="tier").count() == 0

        fund = _fund(name="H2 2026 MDF", budget="7000.00", scheme="half", ends_on=date(2026, 12, 31))
        made = allocations_by_tier(fund=fund)
        assert sorted(allocation.amount for allocation in made) == [Decimal("2000.00"), Decimal("5000.00")]
        assert allocations_by_tier(fund=fund) == []  # a rerun adds nothing
        assert fund_allocated(fund) == Decimal("7000.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_pass_the_budget():
    tenant = TenantFactory(slug="acme")
    with tenant_context(tenant):
        fund = _fund()
        partners = [PartnerFactory(program__tenant=tenant) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes = []

    def allocate(partner):
        start.wait()
        try:
            with tenant_context(tenant):
                allocation_set(actor=None, fund=fund, partner=partner, amount=Decimal("600.00"))
            outcomes.append("allocated")
        except StateConflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(partner,)) for partner in partners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["allocated", "refused"]
    with tenant_context(tenant):
        assert fund_allocated(Fund.objects.get()) == Decimal("600.00")


@pytest.mark.django_db
def test_a_fund_cannot_end_before_it_starts_or_take_a_name_twice(tenant_a):
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as caught:
            _fund(starts_on=date(2026, 7, 1), ends_on=date(2026, 6, 30))
        assert caught.value.fields == {"ends_on": ["The period cannot end before it starts."]}
        _fund()
        with pytest.raises(InvalidInput) as caught:
            _fund()
        assert "name" in caught.value.fields
        assert Fund.objects.count() == 1


@pytest.mark.django_db
def test_what_expired_unused_can_move_to_a_current_fund_and_be_allocated_again(tenant_a):
    from mdf.services import allocations_expire, fund_budget_move

    with tenant_context(tenant_a):
        today = date.today()
        old = _fund(name="Last year", starts_on=date(today.year - 1, 1, 1), ends_on=date(today.year - 1, 3, 31))
        current = _fund(name="Now", starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=80))
        partner = PartnerFactory(program__tenant=tenant_a)
        other = PartnerFactory(program=partner.program)
        allocation_set(actor=None, fund=old, partner=partner, amount=Decimal("800.00"))
        assert allocations_expire() == {Allocation.objects.get(fund=old).pk: Decimal("800.00")}

        with pytest.raises(StateConflict):  # 1,000 budget, nothing held: at most 1,000 can move
            fund_budget_move(actor=None, source=old, target=current, amount=Decimal("1000.01"), reason="Roll over")
        with pytest.raises(InvalidInput):
            fund_budget_move(actor=None, source=current, target=old, amount=Decimal("1.00"), reason="Back")  # expired
        with pytest.raises(InvalidInput):
            fund_budget_move(actor=None, source=old, target=current, amount=Decimal("5.00"), reason=" ")
        old, current = fund_budget_move(
            actor=None, source=old, target=current, amount=Decimal("1000.00"), reason="Roll over Q1's unused MDF"
        )
        assert (old.budget, current.budget) == (Decimal("0.00"), Decimal("2000.00"))
        allocation_set(actor=None, fund=current, partner=other, amount=Decimal("2000.00"))
        assert fund_allocated(current) == Decimal("2000.00")
