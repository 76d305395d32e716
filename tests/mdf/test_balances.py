"""Balance arithmetic across every request and claim state: each state puts the money in exactly one bucket,
and the buckets always add up to what was allocated."""

from decimal import Decimal

import pytest

from mdf.rules import BALANCE_PARTS, Balance
from mdf.selectors import allocation_balance, allocation_balances, balance_total
from prm.tenancy.context import tenant_context
from tests.mdf.factories import AllocationFactory, MdfClaimFactory, MdfRequestFactory, mdf_world

D = Decimal

# (request status, approved amount, claim status or None, claimed, approved on the claim) → the bucket it fills
CASES = [
    ("draft", None, None, None, None, {}),
    ("submitted", None, None, None, None, {}),
    ("rejected", None, None, None, None, {}),
    ("returned", None, None, None, None, {}),
    ("approved", "400.00", None, None, None, {"requested": "400.00"}),
    ("partially_approved", "300.00", None, None, None, {"requested": "300.00"}),
    ("approved", "400.00", "draft", "350.00", None, {"requested": "400.00"}),
    ("approved", "400.00", "returned", "350.00", None, {"requested": "400.00"}),
    ("approved", "400.00", "submitted", "350.00", None, {"requested": "50.00", "claimed": "350.00"}),
    ("approved", "400.00", "approved", "350.00", "350.00", {"approved": "350.00"}),
    ("approved", "400.00", "partially_approved", "350.00", "200.00", {"approved": "200.00"}),
    ("approved", "400.00", "paid", "350.00", "350.00", {"paid": "350.00"}),
    ("approved", "400.00", "rejected", "350.00", None, {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("request_status,approved,claim_status,claimed,claim_approved,expected", CASES)
def test_every_state_fills_one_bucket(
    tenant_a, request_status, approved, claim_status, claimed, claim_approved, expected
):
    with tenant_context(tenant_a):
        world = mdf_world(tenant_a, allocated="1000.00")
        world.allocation.expired_amount = D("100.00")
        world.allocation.save()
        request = MdfRequestFactory(
            tenant=tenant_a,
            allocation=world.allocation,
            status=request_status,
            approved_amount=D(approved) if approved else None,
        )
        if claim_status:
            MdfClaimFactory(
                tenant=tenant_a,
                request=request,
                status=claim_status,
                amount=D(claimed),
                approved_amount=D(claim_approved) if claim_approved else None,
            )
        balance = allocation_balance(world.allocation)
    held = {part: D(value) for part, value in expected.items()}
    for part in ("requested", "claimed", "approved", "paid"):
        assert getattr(balance, part) == held.get(part, D(0)), part
    assert balance.expired == D("100.00")
    assert balance.available == D("900.00") - sum(held.values(), D(0))
    assert balance.allocated == sum((getattr(balance, part) for part in BALANCE_PARTS[1:]), balance.available)


@pytest.mark.django_db
def test_balances_of_many_allocations_come_from_one_query(tenant_a, django_assert_num_queries):
    with tenant_context(tenant_a):
        world = mdf_world(tenant_a)
        others = [AllocationFactory(tenant=tenant_a, fund=world.fund, amount=D("500.00")) for _ in range(3)]
        for allocation in [world.allocation, *others]:
            MdfRequestFactory(tenant=tenant_a, allocation=allocation, approved_amount=D("100.00"))
        allocations = [world.allocation, *others]
        with django_assert_num_queries(1):
            balances = allocation_balances(allocations)
    total = balance_total(balances.values())
    assert total == Balance(allocated=D("4500.00"), requested=D("400.00"))
    assert total.available == D("4100.00")
