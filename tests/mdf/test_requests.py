"""Pre-approval requests: the state machine, the tier's reimbursement cap and the allocation's balance."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mdf.models import ActivityType, MdfRequest
from mdf.rules import Balance, request_cap
from mdf.services import (
    allocation_available,
    allocation_set,
    fund_create,
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
    mdf_request_update,
)
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, TierFactory


def test_the_cap_is_the_tier_share_of_the_cost_within_what_is_available():
    # 50 % of 3,333.33 = 1,666.665 → 1,666.67 (half up)
    assert request_cap(Decimal("3333.33"), Decimal("50"), Decimal("10000")) == Decimal("1666.67")
    assert request_cap(Decimal("3333.33"), Decimal("50"), Decimal("1000.00")) == Decimal("1000.00")
    assert request_cap(Decimal("800.00"), None, Decimal("10000")) == Decimal("800.00")  # no tier: the whole cost
    assert request_cap(Decimal("800.00"), Decimal("50"), Decimal("-5")) == Decimal("0")
    assert Balance(allocated=Decimal("5000"), expired=Decimal("1000"), requested=Decimal("2500")).available == Decimal(
        "1500"
    )


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        tier = TierFactory(program__tenant=tenant_a, mdf_reimbursement_cap_pct=Decimal("50"))
        partner = PartnerFactory(program=tier.program, tier=tier)
        other = PartnerFactory(program=tier.program, tier=tier)
        fund = fund_create(
            actor=None, name="This quarter", starts_on=date.today() - timedelta(days=30),
            ends_on=date.today() + timedelta(days=60), budget=Decimal("10000.00"), currency="USD",
        )  # fmt: skip
        allocation = allocation_set(actor=None, fund=fund, partner=partner, amount=Decimal("3000.00"))
        webinar = ActivityType.objects.create(key="webinar", name="Webinar")
        yield {"partner": partner, "other": other, "allocation": allocation, "webinar": webinar, "fund": fund}


def _draft(world, code="Q3-WEB-1", planned="4000.00", requested="2000.00"):
    return mdf_request_create(
        actor=None, partner=world["partner"], allocation=world["allocation"], activity_type=world["webinar"],
        title="Cloud security webinar", description="Live session with a demo.", starts_on=date(2026, 8, 4),
        ends_on=date(2026, 8, 4), planned_cost=Decimal(planned), requested_amount=Decimal(requested),
        expected_leads=40, campaign_code=code,
    )  # fmt: skip


@pytest.mark.django_db
def test_submit_then_approve_in_part_holds_the_approved_amount(tenant_a, world):
    with tenant_context(tenant_a):
        request = mdf_request_submit(actor=None, request=_draft(world))
        assert request.status == "submitted" and request.review_due_at > request.submitted_at

        with pytest.raises(InvalidInput) as no_reason:
            mdf_request_approve(actor=None, request=request, amount=Decimal("1500.00"))
        assert "reason" in no_reason.value.fields
        request = mdf_request_approve(actor=None, request=request, amount=Decimal("1500.00"), reason="Half the seats.")
        assert (request.status, request.approved_amount) == ("partially_approved", Decimal("1500.00"))
        assert allocation_available(world["allocation"]) == Decimal("1500.00")  # 3,000 − 1,500 held

        with pytest.raises(StateConflict) as twice:
            mdf_request_approve(actor=None, request=request)
        assert twice.value.current_state == "partially_approved"


@pytest.mark.django_db
def test_the_requested_amount_is_capped_by_the_tier_share_and_the_balance(tenant_a, world):
    with tenant_context(tenant_a):
        # 50 % of 3,000 planned = 1,500: asking 1,600 is refused.
        with pytest.raises(InvalidInput) as over_share:
            mdf_request_submit(actor=None, request=_draft(world, planned="3000.00", requested="1600.00"))
        assert "1500.00 USD" in over_share.value.message
        first = mdf_request_submit(actor=None, request=_draft(world, code="Q3-WEB-2", requested="2000.00"))
        mdf_request_approve(actor=None, request=first)
        # 1,000 left of the allocation: 50 % of 4,000 = 2,000 is more than that.
        with pytest.raises(InvalidInput) as over_balance:
            mdf_request_submit(actor=None, request=_draft(world, code="Q3-WEB-3", requested="1200.00"))
        assert "1000.00 USD" in over_balance.value.message
        assert MdfRequest.objects.filter(status="submitted").count() == 0


@pytest.mark.django_db
def test_return_for_changes_then_submit_again_and_reject_needs_a_reason(tenant_a, world):
    with tenant_context(tenant_a):
        request = mdf_request_submit(actor=None, request=_draft(world))
        with pytest.raises(InvalidInput):
            mdf_request_return(actor=None, request=request, reason=" ")
        request = mdf_request_return(actor=None, request=request, reason="Add the agenda.")
        assert request.status == "returned"
        request = mdf_request_submit(actor=None, request=request)
        request = mdf_request_reject(actor=None, request=request, reason="Out of budget focus.")
        assert (request.status, request.decision_reason) == ("rejected", "Out of budget focus.")
        for transition in (mdf_request_submit, mdf_request_approve):
            with pytest.raises(StateConflict):
                transition(actor=None, request=request)
        assert allocation_available(world["allocation"]) == Decimal("3000.00")  # a rejected request holds nothing


@pytest.mark.django_db
def test_bad_requests_are_refused_field_by_field(tenant_a, world):
    with tenant_context(tenant_a):
        cases = {
            "requested_amount": {"requested": "5000.00"},  # more than the activity costs
            "campaign_code": {"code": " "},
        }
        for field, kwargs in cases.items():
            with pytest.raises(InvalidInput) as refused:
                _draft(world, **kwargs)
            assert field in refused.value.fields
        _draft(world)
        with pytest.raises(InvalidInput) as duplicate:
            _draft(world)
        assert "campaign_code" in duplicate.value.fields
        with pytest.raises(InvalidInput) as foreign:
            mdf_request_create(
                actor=None, partner=world["other"], allocation=world["allocation"], activity_type=world["webinar"],
                title="x", description="", starts_on=date(2026, 8, 4), ends_on=date(2026, 8, 3),
                planned_cost=Decimal("1"), requested_amount=Decimal("1"), expected_leads=0, campaign_code="X",
            )  # fmt: skip
        assert "allocation" in foreign.value.fields


@pytest.mark.django_db
def test_a_returned_request_can_be_changed_and_submitted_again(tenant_a, world):
    with tenant_context(tenant_a):
        request = mdf_request_submit(actor=None, request=_draft(world))
        with pytest.raises(StateConflict):
            mdf_request_update(actor=None, request=request, title="Changed while under review")
        mdf_request_return(actor=None, request=request, reason="Lower the amount.")
        with pytest.raises(InvalidInput):
            mdf_request_update(actor=None, request=request, requested_amount=Decimal("5000.00"))  # above the cost
        request = mdf_request_update(actor=None, request=request, requested_amount=Decimal("1200.00"))
        assert mdf_request_submit(actor=None, request=request).requested_amount == Decimal("1200.00")
