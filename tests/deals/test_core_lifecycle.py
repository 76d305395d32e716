"""The registration lifecycle services: every transition, its refusals (409 with the current state),
conflict policy, history, audit and notifications."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from deals.models import Deal, DealConflict, DealEvent, SaleRecord
from deals.rules import add_business_days
from deals.selectors import deal_pricing
from deals.services import (
    deal_approve,
    deal_close_lost,
    deal_close_won,
    deal_reject,
    deal_special_pricing_set,
    deal_submit,
    deal_update_draft,
)
from partners.models import OnboardingStep
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput, StateConflict
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context

from ..factories import DealFactory, HouseAccountFactory, PartnerFactory
from .core_support import core_world, register


@pytest.fixture
def world(tenant_a):
    return core_world(tenant_a)


def notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def test_submit_sets_the_review_deadline_completes_the_onboarding_step_and_tells_the_channel_manager(
    world, tenant_a, celery_eager, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a):
        step = OnboardingStep.objects.create(partner=world.partner, kind="register_deal", title="Register a deal")
        deal = register(world)
        with django_capture_on_commit_callbacks(execute=True):
            deal = deal_submit(deal=deal, actor=world.rep.user)
        assert deal.status == "submitted"
        assert deal.review_due_at == add_business_days(deal.submitted_at, 2)
        assert deal.review_due_at - deal.submitted_at >= datetime.timedelta(days=2)
        step.refresh_from_db()
        assert step.completed_at is not None
        assert list(DealEvent.objects.filter(deal=deal).values_list("kind", "from_status", "to_status")) == [
            ("created", "", "draft"),
            ("submitted", "draft", "submitted"),
        ]
        assert AuditEvent.objects.filter(action="deal.submit").count() == 1
        assert notified(world.manager.user) == ["New deal registration: Globodyne Corp."]
        assert notified(world.rep.user) == []  # the actor is not told what they did
    assert [message.to for message in mail.outbox] == [[world.manager.user.email]]
    assert "Nimbus IT registered Globodyne Corp." in mail.outbox[0].body


def test_without_a_channel_manager_every_manager_hears_of_a_submission(world, tenant_a):
    with tenant_context(tenant_a):
        world.partner.channel_manager = None
        world.partner.save()
        deal_submit(deal=register(world), actor=world.rep.user)
        assert len(notified(world.manager.user)) == 1
        assert notified(world.staff.user) == []  # vendor staff only read


@pytest.mark.parametrize(
    ("service", "arguments"),
    [
        (deal_approve, {}),
        (deal_reject, {"reason": "No."}),
        (deal_close_won, {"amount": "10.00"}),
        (deal_special_pricing_set, {"percent": "5"}),
        (deal_close_lost, {"reason": "Lost."}),
    ],
)
def test_decisions_on_a_draft_are_refused_with_the_current_state(world, tenant_a, service, arguments):
    with tenant_context(tenant_a):
        deal = register(world)
        with pytest.raises(StateConflict) as refused:
            service(deal=deal, actor=world.manager.user, **arguments)
        assert refused.value.current_state == "draft"
        assert Deal.objects.get(pk=deal.pk).status == "draft"


@pytest.mark.parametrize(
    ("status", "service", "arguments"),
    [
        ("submitted", deal_submit, {}),
        ("approved", deal_approve, {}),
        ("rejected", deal_reject, {"reason": "Again."}),
        ("won", deal_close_lost, {"reason": "Too late."}),
        ("lost", deal_close_won, {"amount": "1.00"}),
        ("submitted", deal_close_won, {"amount": "1.00"}),
        ("expired", deal_special_pricing_set, {"percent": "1"}),
        ("submitted", deal_update_draft, {"notes": "x"}),
    ],
)
def test_transitions_from_the_wrong_status_answer_409(world, tenant_a, status, service, arguments):
    deal = DealFactory(partner=world.partner, status=status)
    with tenant_context(tenant_a):
        with pytest.raises(StateConflict) as refused:
            service(deal=deal, actor=world.manager.user, **arguments)
        assert refused.value.current_state == status
        assert not DealEvent.objects.filter(deal=deal).exists()


def test_conflicts_are_stored_with_evidence_and_partners_are_not_named_in_their_notices(world, tenant_a):
    rival = DealFactory(partner=world.other, customer_name="Globodyne Systems", customer_domain="globodyne.example")
    house = HouseAccountFactory(tenant=tenant_a, company_name="Globodyne Corporation", domain="")
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
        evidence = {(c.other_deal_id, c.house_account_id, c.matched_on, c.score) for c in deal.conflicts.all()}
        assert evidence == {(rival.pk, None, "domain", Decimal("1.000")), (None, house.pk, "name", Decimal("1.000"))}
        assert deal.status == "submitted"  # manual review: flagged, left for a manager
        deal = deal_approve(deal=deal, actor=world.manager.user)
        for notification in Notification.objects.filter(user__in=[world.rep.user, world.admin.user]):
            assert "Rival" not in notification.title + notification.body
            assert "Globodyne Corporation" not in notification.title + notification.body


def test_approval_checks_again_and_keeps_only_current_conflicts(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
        assert not deal.conflicts.exists()
    late = DealFactory(partner=world.other, customer_name="Globodyne", customer_domain="")
    with tenant_context(tenant_a):
        deal_approve(deal=deal, actor=world.manager.user)
        assert list(DealConflict.objects.filter(deal=deal).values_list("other_deal_id", "matched_on")) == [
            (late.pk, "name")
        ]
        approved = DealEvent.objects.get(deal=deal, kind="approved")
        assert approved.changes["conflicts"] == {"deals": [late.pk], "house_accounts": []}


def test_auto_reject_house_rejects_a_house_account_at_once(tenant_a, celery_eager, django_capture_on_commit_callbacks):
    world = core_world(tenant_a, policy="auto_reject_house")
    HouseAccountFactory(tenant=tenant_a, company_name="Globodyne", domain="globodyne.example")
    with tenant_context(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            deal = deal_submit(deal=register(world), actor=world.rep.user)
        assert deal.status == "rejected"
        assert "house account" in deal.decision_reason
        assert DealEvent.objects.filter(deal=deal, kind="auto_rejected", actor=None).exists()
        assert notified(world.rep.user) == notified(world.admin.user) == ["Deal registration rejected: Globodyne Corp."]
        assert notified(world.manager.user) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.rep.user.email, world.admin.user.email])


def test_auto_reject_house_leaves_overlaps_with_partners_to_a_manager(tenant_a):
    world = core_world(tenant_a, policy="auto_reject_house")
    DealFactory(partner=world.other, customer_name="Globodyne")
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
        assert deal.status == "submitted" and deal.conflicts.count() == 1


def test_first_approved_wins_refuses_the_second_approval(tenant_a):
    world = core_world(tenant_a, policy="first_approved_wins")
    with tenant_context(tenant_a):
        first = deal_submit(deal=register(world, partner=world.other), actor=world.other_rep.user)
        second = deal_submit(deal=register(world, customer_name="Globodyne"), actor=world.rep.user)
        assert second.status == "submitted" and second.conflicts.count() == 1  # flagged, still open
        deal_approve(deal=first, actor=world.manager.user)
        with pytest.raises(StateConflict) as refused:
            deal_approve(deal=second, actor=world.manager.user)
        assert "first approved registration wins" in refused.value.message
        assert refused.value.current_state == "submitted"
        assert Deal.objects.get(pk=second.pk).status == "submitted"
        deal_reject(deal=second, actor=world.manager.user, reason="Another partner holds this customer.")


def test_approve_starts_protection_and_tells_the_rep_and_partner_admins(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
        deal = deal_approve(deal=deal, actor=world.manager.user, note="Go for it.")
        assert deal.status == "approved"
        assert deal.protected_until == timezone.localdate() + datetime.timedelta(days=90)
        assert (deal.decided_by, deal.decision_reason) == (world.manager.user, "Go for it.")
        title = "Deal registration approved: Globodyne Corp."
        assert notified(world.rep.user) == [title] and notified(world.admin.user) == [title]
        assert notified(world.other_rep.user) == []


def test_reject_needs_a_reason_and_changes_nothing_without_one(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
        with pytest.raises(InvalidInput) as refused:
            deal_reject(deal=deal, actor=world.manager.user, reason="  ")
        assert "reason" in refused.value.fields
        assert Deal.objects.get(pk=deal.pk).status == "submitted"
        deal = deal_reject(deal=deal, actor=world.manager.user, reason="Existing customer of the direct team.")
        assert (deal.status, deal.decision_reason) == ("rejected", "Existing customer of the direct team.")
        assert notified(world.rep.user) == ["Deal registration rejected: Globodyne Corp."]


def test_close_won_books_one_sale_per_line_adding_up_to_the_won_amount(world, tenant_a):
    lines = [{"product": world.product, "quantity": 3}, {"product": world.recurring, "quantity": 1}]
    with tenant_context(tenant_a):
        deal = deal_approve(deal=deal_submit(deal=register(world), actor=world.rep.user), actor=world.manager.user)
        with pytest.raises(InvalidInput) as refused:
            deal_close_won(deal=deal, actor=world.rep.user, amount="1000.00")
        assert "lines" in refused.value.fields
        for bad in ("0", "-5", "abc", "1.234"):
            with pytest.raises(InvalidInput):
                deal_close_won(deal=deal, actor=world.rep.user, amount=bad, lines=lines)
        assert not SaleRecord.objects.exists() and Deal.objects.get(pk=deal.pk).status == "approved"

        deal = deal_close_won(deal=deal, actor=world.rep.user, amount="2500.00", lines=lines)
        assert (deal.status, deal.closed_amount) == ("won", Decimal("2500.00"))
        # Nets: 3000 × 0.9 × 0.925 = 2497.50 and 120 × 0.9 × 0.925 = 99.90; 2500 split 2497.5 : 99.9
        # = 2403.846… and 96.153… → 2403.84 + 96.15 leave a cent for the larger remainder (.006 > .004);
        # the monthly support plan's recurring amount is 96.15 / 12 = 8.0125 → 8.01.
        records = list(SaleRecord.objects.order_by("amount"))
        line_ids = sorted(deal.lines.values_list("pk", flat=True))
        assert [(r.amount, r.kind, r.term_months, r.recurring_amount) for r in records] == [
            (Decimal("96.15"), "new", 12, Decimal("8.01")),
            (Decimal("2403.85"), "one_time", None, None),
        ]
        assert sum(r.amount for r in records) == Decimal("2500.00")
        assert sorted(r.external_id for r in records) == sorted(f"deal-{deal.pk}-{pk}" for pk in line_ids)
        assert {(r.source, r.partner_id, r.rep_id, r.currency) for r in records} == {
            ("deal", world.partner.pk, world.rep.user.pk, "USD")
        }
        with pytest.raises(StateConflict):
            deal_close_won(deal=deal, actor=world.rep.user, amount="2500.00")
        assert SaleRecord.objects.count() == 2
        assert notified(world.manager.user)[-1] == "Deal won: Globodyne Corp."


def test_close_won_splits_by_list_when_every_net_is_zero(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_approve(deal=deal_submit(deal=register(world), actor=world.rep.user), actor=world.manager.user)
        deal_special_pricing_set(deal=deal, actor=world.manager.user, percent="100")
        lines = [{"product": world.product, "quantity": 1}, {"product": world.product, "quantity": 3}]
        deal_close_won(deal=deal, actor=world.rep.user, amount="100.00", lines=lines)
        assert sorted(SaleRecord.objects.values_list("amount", flat=True)) == [Decimal("25.00"), Decimal("75.00")]


@pytest.mark.parametrize("start", ["submitted", "approved"])
def test_close_lost_takes_a_reason(world, tenant_a, start):
    deal = DealFactory(partner=world.partner, status=start, registered_by=world.rep.user)
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput):
            deal_close_lost(deal=deal, actor=world.rep.user, reason="")
        deal = deal_close_lost(deal=deal, actor=world.rep.user, reason="Went with a competitor.")
        assert (deal.status, deal.lost_reason) == ("lost", "Went with a competitor.")
        assert DealEvent.objects.get(deal=deal, kind="lost").from_status == start
        assert notified(world.manager.user) == [f"Deal lost: {deal.customer_name}"]


def test_special_pricing_stacks_on_the_registration_discount(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_submit(
            deal=register(world, lines=[{"product": world.product, "quantity": 1}]), actor=world.rep.user
        )
        for bad in ("-1", "100.5", "ten", "1.005"):
            with pytest.raises(InvalidInput):
                deal_special_pricing_set(deal=deal, actor=world.manager.user, percent=bad)
        deal = deal_special_pricing_set(deal=deal, actor=world.manager.user, percent="10")
        pricing = deal_pricing(Deal.objects.select_related("partner__tier").get(pk=deal.pk))
        # 1000 × 0.9 (tier) × 0.925 (5 % program + 2.5 % tier) × 0.9 (special) = 749.25
        [(_line, price)] = pricing.lines
        assert (price.registration_discount, price.special_discount, price.net) == (
            Decimal("67.50"),
            Decimal("83.25"),
            Decimal("749.25"),
        )
        assert DealEvent.objects.get(deal=deal, kind="special_pricing").changes == {
            "special_discount_pct": [None, "10"]
        }
        assert deal_special_pricing_set(deal=deal, actor=world.manager.user, percent="").special_discount_pct is None
        assert "special pricing" in " ".join(notified(world.rep.user)).lower()


def test_update_draft_changes_fields_and_lines_with_history(world, tenant_a):
    with tenant_context(tenant_a):
        deal = register(world)
        with pytest.raises(InvalidInput):
            deal_update_draft(deal=deal, actor=world.rep.user, estimated_value="-3")
        deal = deal_update_draft(
            deal=deal,
            actor=world.rep.user,
            estimated_value="90000.00",
            customer_name="Globodyne Europe BV",
            lines=[{"product": world.product, "quantity": 2}],
        )
        assert (deal.customer_name_normalised, deal.estimated_value) == ("globodyne europe", Decimal("90000.00"))
        event = DealEvent.objects.get(deal=deal, kind="updated")
        assert event.changes["estimated_value"] == ["125000.00", "90000.00"]
        assert event.changes["lines"] == [[], [[world.product.pk, 2]]]
        assert Deal.objects.get(pk=deal.pk).status == "draft"


def test_suspended_partners_cannot_submit(world, tenant_a):
    with tenant_context(tenant_a):
        deal = register(world)
    suspended = PartnerFactory(program=world.program, status="suspended")
    with tenant_context(tenant_a):
        Deal.objects.filter(pk=deal.pk).update(partner=suspended)
        with pytest.raises(StateConflict):
            deal_submit(deal=deal, actor=world.rep.user)
