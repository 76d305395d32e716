"""Expiry: what partners left unused on an expired fund's allocations expires once, goes back to the fund for
reallocation and the partners' admins are told; approved requests keep what they hold until their claim window
closes unclaimed (they lapse); requests against an expired fund are refused."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mdf.models import Allocation
from mdf.selectors import allocation_balance
from mdf.services import (
    allocation_set,
    allocations_expire,
    fund_allocated,
    mdf_claim_extend,
    mdf_claim_reject,
    mdf_claim_submit,
    mdf_expiry_sweep,
    mdf_request_create,
    mdf_request_submit,
    requests_lapse,
)
from mdf.services.lifecycle import ExpiryResult
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput, StateConflict
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, partner_member

from .factories import Q3_2026, AllocationFactory, MdfClaimFactory, MdfRequestFactory, mdf_world

D = Decimal
EXPIRES_ON = datetime.date(2026, 11, 29)  # Q3 2026 ends on 30 September, plus the default 60 days


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        world = mdf_world(tenant_a, **Q3_2026)  # a 10,000 USD fund, 3,000 allocated to the partner
        assert world.fund.expires_on == EXPIRES_ON
        yield world


def _titles(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


@pytest.mark.django_db
def test_what_is_left_expires_once_and_returns_to_the_fund(world):
    held = MdfRequestFactory(tenant=world.tenant, allocation=world.allocation, approved_amount=D("1000.00"))
    other = PartnerFactory(tenant=world.tenant, program=world.partner.program)
    other_admin = partner_member(other).user
    untouched = AllocationFactory(tenant=world.tenant, fund=world.fund, partner=other, amount=D("2000.00"))
    assert fund_allocated(world.fund) == D("5000.00")

    # The day before, nothing expires.
    assert allocations_expire(today=EXPIRES_ON - datetime.timedelta(days=1)) == {}

    expired = allocations_expire(today=EXPIRES_ON)

    assert expired == {world.allocation.pk: D("2000.00"), untouched.pk: D("2000.00")}
    world.allocation.refresh_from_db()
    assert world.allocation.expired_amount == D("2000.00") and world.allocation.expired_at is not None
    balance = allocation_balance(world.allocation)
    assert (balance.expired, balance.requested, balance.available) == (D("2000.00"), D("1000.00"), D("0.00"))
    assert fund_allocated(world.fund) == D("1000.00")  # only the approved request's 1,000 still out
    assert AuditEvent.objects.filter(action="mdf.allocation_expire").count() == 2
    assert _titles(world.admin.user) == [f"MDF expired: 2000.00 USD of {world.fund.name}"]
    assert _titles(other_admin) == [f"MDF expired: 2000.00 USD of {world.fund.name}"]

    # A rerun the same day (or the next) changes and sends nothing.
    first_expired_at = world.allocation.expired_at
    assert allocations_expire(today=EXPIRES_ON) == {}
    assert allocations_expire(today=EXPIRES_ON + datetime.timedelta(days=1)) == {}
    assert len(_titles(world.admin.user)) == 1

    # The approved request kept its 1,000; when its claim is rejected the hold is released and expires next run.
    claim = MdfClaimFactory(request=held, status="submitted", submitted_at=timezone.now())
    mdf_claim_reject(actor=None, claim=claim, reason="No proof of the event.")
    assert allocations_expire(today=EXPIRES_ON + datetime.timedelta(days=2)) == {world.allocation.pk: D("1000.00")}
    world.allocation.refresh_from_db()
    assert world.allocation.expired_amount == D("3000.00")
    assert world.allocation.expired_at == first_expired_at  # the first time it expired

    # The freed budget can be given to another partner: all 10,000 fit again.
    third = PartnerFactory(tenant=world.tenant, program=world.partner.program)
    allocation_set(actor=None, fund=world.fund, partner=third, amount=D("10000.00"))
    assert fund_allocated(world.fund) == D("10000.00")


@pytest.mark.django_db
def test_a_fully_used_allocation_expires_nothing(world):
    MdfRequestFactory(tenant=world.tenant, allocation=world.allocation, approved_amount=D("3000.00"))
    assert allocations_expire(today=EXPIRES_ON) == {}
    assert Allocation.objects.get(pk=world.allocation.pk).expired_at is None
    assert _titles(world.admin.user) == []


@pytest.mark.django_db
def test_requests_against_an_expired_fund_are_refused(world):
    today = timezone.localdate()
    world.fund.starts_on, world.fund.ends_on = (
        today - datetime.timedelta(days=200),
        today - datetime.timedelta(days=110),
    )
    world.fund.expiry_days_after_end = 30  # expired 80 days ago
    world.fund.save()
    draft = MdfRequestFactory(tenant=world.tenant, allocation=world.allocation, status="draft", approved_amount=None)
    values = {
        "allocation": world.allocation, "activity_type": world.webinar, "title": "Late webinar", "description": "-",
        "starts_on": today, "ends_on": today, "planned_cost": D("100.00"), "requested_amount": D("50.00"),
        "campaign_code": "LATE-1",
    }  # fmt: skip

    with pytest.raises(InvalidInput) as refused:
        mdf_request_create(actor=world.admin.user, partner=world.partner, **values)
    expired_on = world.fund.expires_on.isoformat()
    assert refused.value.fields == {"allocation": [f"This allocation expired on {expired_on}; choose a current one."]}

    with pytest.raises(InvalidInput) as refused:
        mdf_request_submit(actor=world.admin.user, request=draft)
    assert "allocation" in refused.value.fields
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_approved_requests_not_claimed_in_time_lapse_and_release_their_hold(world):
    ended = datetime.date(2026, 9, 1)  # claim due 60 days later: 31 October 2026
    due = ended + datetime.timedelta(days=60)

    def approved(title, amount="1000.00"):
        return MdfRequestFactory(
            tenant=world.tenant, allocation=world.allocation, requested_by=world.admin.user, title=title,
            starts_on=ended, ends_on=ended, approved_amount=D(amount),
        )  # fmt: skip

    unclaimed = approved("Unclaimed")
    extended = approved("Extended", "500.00")
    extended_claim = MdfClaimFactory(request=extended, due_on=due + datetime.timedelta(days=10))
    claimed = approved("Claimed", "700.00")
    MdfClaimFactory(request=claimed, status="submitted", submitted_at=timezone.now(), due_on=due)
    assert allocation_balance(world.allocation).available == D("800.00")

    assert requests_lapse(today=due) == []  # the last day to claim
    assert requests_lapse(today=due + datetime.timedelta(days=1)) == [unclaimed.pk]
    unclaimed.refresh_from_db()
    assert unclaimed.status == "lapsed"
    assert allocation_balance(world.allocation).available == D("1800.00")
    assert _titles(world.admin.user) == ["MDF request lapsed: Unclaimed"]
    assert "the 1000.00 USD set aside for it were released" in Notification.objects.get(user=world.admin.user).body
    assert AuditEvent.objects.filter(action="mdf.request_lapse").count() == 1
    assert requests_lapse(today=due + datetime.timedelta(days=1)) == []

    # The extended claim's own deadline counts; once it lapsed, the claim can neither be submitted nor extended.
    assert requests_lapse(today=due + datetime.timedelta(days=11)) == [extended.pk]
    with pytest.raises(StateConflict) as refused:
        mdf_claim_submit(actor=world.admin.user, claim=extended_claim)
    assert refused.value.current_state == "lapsed"
    with pytest.raises(StateConflict):
        mdf_claim_extend(actor=None, claim=extended_claim, due_on=due + datetime.timedelta(days=40), reason="Late")
    claimed.refresh_from_db()
    assert claimed.status == "approved"  # its claim was submitted in time


@pytest.mark.django_db
def test_the_daily_sweep_lapses_first_so_the_released_hold_expires_the_same_day(world):
    MdfRequestFactory(
        tenant=world.tenant, allocation=world.allocation, approved_amount=D("1000.00"),
        starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 9, 1),
    )  # fmt: skip
    result = mdf_expiry_sweep(today=EXPIRES_ON)
    assert len(result.lapsed) == 1
    assert result.expired == {world.allocation.pk: D("3000.00")}
    assert mdf_expiry_sweep(today=EXPIRES_ON) == ExpiryResult()
