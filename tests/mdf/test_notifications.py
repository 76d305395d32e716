"""Who hears about requests and claims: the partner's channel manager (else the vendor's managers) when one is
submitted, the requester and the partner's admins when it is decided or paid (by email too); the person who
acted is not told. Reviews past their SLA are listed for the portal to flag."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from incentives.services import payout_approve, payout_mark_paid, payouts_prepare
from mdf.selectors import reviews_overdue
from mdf.services import (
    claim_attachment_add,
    mdf_claim_approve,
    mdf_claim_create,
    mdf_claim_reject,
    mdf_claim_return,
    mdf_claim_submit,
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
)
from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, partner_member
from tests.mdf import proof_files

from .factories import Q3_2026, MdfClaimFactory, MdfRequestFactory, mdf_world

D = Decimal


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        world = mdf_world(tenant_a, **Q3_2026)
        world.manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user
        world.tenant_admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user
        world.partner.channel_manager = world.manager
        world.partner.save(update_fields=["channel_manager"])
        world.rep = partner_member(world.partner, role=Role.PARTNER_REP).user
        yield world


def _told(world):
    """{user: [titles]} of everyone in the world told anything, in order."""
    people = {
        "manager": world.manager,
        "tenant_admin": world.tenant_admin,
        "partner_admin": world.admin.user,
        "rep": world.rep,
    }
    return {
        name: list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))
        for name, user in people.items()
        if Notification.objects.filter(user=user).exists()
    }


def _draft(world, code="WEB-1", requested="1000.00"):
    return mdf_request_create(
        actor=world.rep, partner=world.partner, allocation=world.allocation, activity_type=world.webinar,
        title="Cloud webinar", description="Live demo.", starts_on=timezone.localdate(),
        ends_on=timezone.localdate(), planned_cost=D("2000.00"), requested_amount=D(requested), campaign_code=code,
    )  # fmt: skip


@pytest.mark.django_db
def test_request_submissions_go_to_the_channel_manager_and_decisions_to_the_partner(world):
    request = _draft(world)
    mdf_request_submit(actor=world.rep, request=request)
    assert _told(world) == {"manager": ["MDF request to review: Cloud webinar"]}
    body = Notification.objects.get(user=world.manager).body
    assert body.startswith(f"{world.partner.name} asks 1000.00 USD for Cloud webinar (WEB-1).")

    mdf_request_return(actor=world.manager, request=request, reason="Add the agenda.")
    returned = "MDF request returned for changes: Cloud webinar"
    assert _told(world)["rep"] == [returned]
    assert _told(world)["partner_admin"] == [returned]
    assert Notification.objects.get(user=world.rep).body.endswith("Reason: Add the agenda.")

    mdf_request_submit(actor=world.rep, request=request)
    mdf_request_approve(actor=world.manager, request=request, amount=D("600.00"), reason="Budget is tight.")
    partly = "MDF request partly approved: Cloud webinar"
    assert _told(world)["rep"] == [returned, partly]
    assert "600.00 of the 1000.00 USD asked are approved. Reason: Budget is tight." in (
        Notification.objects.filter(user=world.admin.user).order_by("pk").last().body
    )
    assert _told(world)["manager"] == ["MDF request to review: Cloud webinar"] * 2  # not of their own decisions

    full = _draft(world, code="WEB-2", requested="500.00")
    mdf_request_submit(actor=world.rep, request=full)
    mdf_request_approve(actor=world.manager, request=full)
    refused = _draft(world, code="WEB-3", requested="100.00")
    mdf_request_submit(actor=world.rep, request=refused)
    mdf_request_reject(actor=world.manager, request=refused, reason="Not our audience.")
    assert _told(world)["rep"][2:] == ["MDF request approved: Cloud webinar", "MDF request rejected: Cloud webinar"]
    assert "tenant_admin" not in _told(world)


@pytest.mark.django_db
def test_without_a_channel_manager_the_vendor_managers_review(world):
    world.partner.channel_manager = None
    world.partner.save(update_fields=["channel_manager"])
    mdf_request_submit(actor=world.rep, request=_draft(world))
    assert _told(world) == {
        "manager": ["MDF request to review: Cloud webinar"],
        "tenant_admin": ["MDF request to review: Cloud webinar"],
    }


@pytest.mark.django_db
def test_claim_decisions_and_payment_reach_the_partner_by_email(
    world, celery_eager, django_capture_on_commit_callbacks
):
    request = MdfRequestFactory(
        tenant=world.tenant, allocation=world.allocation, requested_by=world.rep, title="Booth at Expo"
    )
    with django_capture_on_commit_callbacks(execute=True):
        claim = mdf_claim_create(actor=world.rep, request=request, actual_cost=D("2000.00"), amount=D("900.00"))
        claim_attachment_add(actor=world.rep, claim=claim, kind="invoice", upload=proof_files.pdf())
        mdf_claim_submit(actor=world.rep, claim=claim)
        mdf_claim_return(actor=world.manager, claim=claim, reason="The invoice is unreadable.")
        mdf_claim_submit(actor=world.rep, claim=claim)
        mdf_claim_approve(actor=world.manager, claim=claim, amount=D("850.00"), reason="Parking is not covered.")
    assert _told(world)["manager"] == ["MDF claim to review: Booth at Expo"] * 2
    assert _told(world)["rep"] == [
        "MDF claim returned for changes: Booth at Expo",
        "MDF claim partly approved: Booth at Expo",
    ]
    emails = [(message.to, message.subject) for message in mail.outbox]
    assert ([world.rep.email], "MDF claim partly approved: Booth at Expo") in emails
    assert ([world.admin.user.email], "MDF claim partly approved: Booth at Expo") in emails

    (payout,) = payouts_prepare(actor=None, currency="USD")
    payout_approve(actor=None, payout=payout)
    with django_capture_on_commit_callbacks(execute=True):
        payout_mark_paid(actor=None, payout=payout, external_reference="SEPA-7")
    assert "MDF claim paid: Booth at Expo" in _told(world)["partner_admin"]
    paid = Notification.objects.get(user=world.rep, title="MDF claim paid: Booth at Expo")
    assert paid.body == f"850.00 USD for Booth at Expo ({request.campaign_code}) were paid."

    other = MdfClaimFactory(
        request=MdfRequestFactory(tenant=world.tenant, allocation=world.allocation, title="Radio spot"),
        status="submitted",
        submitted_at=timezone.now(),
    )
    mdf_claim_reject(actor=world.manager, claim=other, reason="Outside the campaign dates.")
    assert _told(world)["partner_admin"][-1] == "MDF claim rejected: Radio spot"


@pytest.mark.django_db
def test_reviews_past_their_deadline_are_listed(world):
    now = timezone.now()
    late = MdfRequestFactory(
        tenant=world.tenant,
        allocation=world.allocation,
        status="submitted",
        review_due_at=now - datetime.timedelta(hours=1),
    )
    MdfRequestFactory(
        tenant=world.tenant,
        allocation=world.allocation,
        status="submitted",
        review_due_at=now + datetime.timedelta(hours=1),
    )
    MdfRequestFactory(
        tenant=world.tenant,
        allocation=world.allocation,
        status="approved",
        review_due_at=now - datetime.timedelta(days=3),
    )
    late_claim = MdfClaimFactory(
        request=MdfRequestFactory(tenant=world.tenant, allocation=world.allocation),
        status="submitted",
        review_due_at=now - datetime.timedelta(days=1),
    )
    overdue = reviews_overdue()
    assert list(overdue.requests) == [late]
    assert list(overdue.claims) == [late_claim]
