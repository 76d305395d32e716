"""Tier metrics and the daily evaluation service: set-based metrics, promotion, approval, grace-period
demotion, pins, idempotency, skipped statuses and notifications."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.metric_sources import active_reps, active_users, days_since_joining, onboarding_complete
from partners.models import Partner, TierChange, TierEvaluationRun
from partners.services import (
    tier_change_approve,
    tier_change_reject,
    tier_evaluate,
    tier_pin_clear,
    tier_pin_set,
)
from partners.services.tiers import tenant_today
from prm.accounts.roles import Role
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context

from ..factories import (
    ChecklistStepTemplateFactory,
    MembershipFactory,
    PartnerFactory,
    ProgramFactory,
    TierCriterionFactory,
    TierFactory,
    UserFactory,
    partner_member,
)

DAY = date(2026, 3, 2)


def joined(days_before: int, today: date = DAY) -> datetime:
    return datetime.combine(today - timedelta(days=days_before), datetime.min.time(), tzinfo=UTC)


@pytest.fixture
def ladder(tenant_a):
    """Registered (no criteria) → Silver (1 rep) → Gold (2 reps and 30 days)."""
    program = ProgramFactory(tenant=tenant_a, demotion_grace_days=10)
    registered = TierFactory(program=program, rank=0, name="Registered")
    silver = TierFactory(program=program, rank=1, name="Silver")
    TierCriterionFactory(tier=silver, metric="active_reps", threshold=1)
    gold = TierFactory(program=program, rank=2, name="Gold")
    TierCriterionFactory(tier=gold, metric="active_reps", threshold=2)
    TierCriterionFactory(tier=gold, metric="days_since_joining", threshold=30)
    return {"program": program, "registered": registered, "silver": silver, "gold": gold}


def make_partner(ladder, *, tier="registered", reps=0, days=100, **kwargs):
    partner = PartnerFactory(program=ladder["program"], tier=ladder[tier], joined_at=joined(days), **kwargs)
    for _ in range(reps):
        partner_member(partner, role=Role.PARTNER_REP)
    return partner


def evaluate(tenant, today=DAY, **capture):
    with tenant_context(tenant):
        return tier_evaluate(today=today)


# --- metrics ------------------------------------------------------------------------------------


def test_metrics_compute_the_right_values(tenant_a, ladder):
    onboarding = ChecklistStepTemplateFactory(program=ladder["program"])
    with_team = make_partner(ladder, reps=2, days=45, status="onboarding")
    partner_member(with_team, role=Role.PARTNER_ADMIN)
    gone = partner_member(with_team, role=Role.PARTNER_REP)
    gone.is_active = False
    with tenant_context(tenant_a):
        gone.save()
    newcomer = make_partner(ladder, days=-3, status="onboarding")
    active = make_partner(ladder, status="active", onboarded_at=joined(10))
    with tenant_context(tenant_a):
        from partners.services import onboarding_checklist_create, onboarding_event_record

        for partner in (with_team, newcomer):
            onboarding_checklist_create(partner=partner)
        onboarding_event_record(partner=with_team, kind=onboarding.kind)
        partners = Partner.objects.all()
        assert days_since_joining(partners, as_of=DAY) == {with_team.pk: D(45), newcomer.pk: D(0), active.pk: D(100)}
        assert onboarding_complete(partners, as_of=DAY) == {with_team.pk: 1, newcomer.pk: 0, active.pk: 1}
        assert active_reps(partners, as_of=DAY) == {with_team.pk: 2, newcomer.pk: 0, active.pk: 0}
        assert active_users(partners, as_of=DAY)[with_team.pk] == 3


@pytest.mark.parametrize("metric", [days_since_joining, onboarding_complete, active_reps, active_users])
def test_each_metric_is_one_query_whatever_the_number_of_partners(tenant_a, ladder, metric):
    make_partner(ladder, reps=1)
    with tenant_context(tenant_a), CaptureQueriesContext(connection) as one:
        metric(Partner.objects.all(), as_of=DAY)
    for _ in range(6):
        make_partner(ladder, reps=2)
    with tenant_context(tenant_a), CaptureQueriesContext(connection) as many:
        values = metric(Partner.objects.all(), as_of=DAY)
    assert len(values) == 7
    assert len(one.captured_queries) == len(many.captured_queries) == 1


# --- evaluation -------------------------------------------------------------------------------------


def test_promotion_applies_at_once_and_can_skip_levels(
    tenant_a, ladder, celery_eager, django_capture_on_commit_callbacks
):
    skipper = make_partner(ladder, reps=2, days=40)
    stays = make_partner(ladder, days=400)
    with django_capture_on_commit_callbacks(execute=True):
        run = evaluate(tenant_a)
    assert (run.partners_evaluated, run.changes) == (2, 1)
    with tenant_context(tenant_a):
        skipper.refresh_from_db()
        stays.refresh_from_db()
        change = TierChange.objects.get()
    assert (skipper.tier_id, stays.tier_id) == (ladder["gold"].pk, ladder["registered"].pk)
    assert (change.kind, change.status, change.from_tier_id, change.to_tier_id) == (
        "promotion",
        "applied",
        ladder["registered"].pk,
        ladder["gold"].pk,
    )
    assert change.metric_values == {"active_reps": "2", "days_since_joining": "40"}
    assert change.evaluated_on == DAY
    assert "Gold" in change.reason and "Active sales reps 2 ≥ 2" in change.reason


def test_notifications_go_to_active_partner_admins_and_the_channel_manager(
    tenant_a, ladder, celery_eager, django_capture_on_commit_callbacks
):
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER, user=UserFactory(email="cam@acme.example"))
    partner = make_partner(ladder, reps=1, channel_manager=manager.user)
    partner_member(partner, role=Role.PARTNER_ADMIN, email="boss@partner.example")
    former = partner_member(partner, role=Role.PARTNER_ADMIN, email="former@partner.example")
    former.is_active = False
    with tenant_context(tenant_a):
        former.save()
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(tenant_a)
    assert sorted(tuple(message.to) for message in mail.outbox) == [("boss@partner.example",), ("cam@acme.example",)]
    partner_mail = next(m for m in mail.outbox if m.to == ["boss@partner.example"])
    assert "is now Silver" in partner_mail.subject
    assert "http://acme.localhost:8000/tier/" in partner_mail.body
    manager_mail = next(m for m in mail.outbox if m.to == ["cam@acme.example"])
    assert f"http://acme.localhost:8000/partners/{partner.pk}/tier/" in manager_mail.body


def test_a_second_run_the_same_day_changes_and_sends_nothing(
    tenant_a, ladder, celery_eager, django_capture_on_commit_callbacks
):
    partner = make_partner(ladder, reps=1)
    partner_member(partner)
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate(tenant_a) is not None
    sent = len(mail.outbox)
    partner_member(partner, role=Role.PARTNER_REP)  # would now qualify for Gold
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate(tenant_a) is None
    with tenant_context(tenant_a):
        assert TierChange.objects.count() == 1 and TierEvaluationRun.objects.count() == 1
        assert Partner.objects.get(pk=partner.pk).tier == ladder["silver"]
    assert len(mail.outbox) == sent


def test_suspended_and_offboarded_partners_are_not_evaluated(tenant_a, ladder):
    for status in ("suspended", "offboarded", "applicant"):
        make_partner(ladder, reps=2, status=status)
    run = evaluate(tenant_a)
    assert (run.partners_evaluated, run.changes) == (0, 0)


def test_demotion_waits_for_the_grace_period(tenant_a, ladder):
    partner = make_partner(ladder, tier="gold", reps=1, days=400)
    evaluate(tenant_a, DAY)
    with tenant_context(tenant_a):
        partner.refresh_from_db()
    assert (partner.tier_id, partner.below_tier_since) == (ladder["gold"].pk, DAY)
    evaluate(tenant_a, DAY + timedelta(days=9))
    with tenant_context(tenant_a):
        partner.refresh_from_db()
        assert partner.tier_id == ladder["gold"].pk and not TierChange.objects.exists()
    evaluate(tenant_a, DAY + timedelta(days=10))
    with tenant_context(tenant_a):
        partner.refresh_from_db()
        change = TierChange.objects.get()
    assert (partner.tier_id, partner.below_tier_since) == (ladder["silver"].pk, None)
    assert (change.kind, change.from_tier_id, change.to_tier_id) == ("demotion", ladder["gold"].pk, ladder["silver"].pk)
    assert "grace period 10 days" in change.reason and "Active sales reps 1 < 2" in change.reason


def test_recovering_within_the_grace_period_clears_the_below_date(tenant_a, ladder):
    partner = make_partner(ladder, tier="gold", reps=1, days=400)
    evaluate(tenant_a, DAY)
    partner_member(partner, role=Role.PARTNER_REP)
    evaluate(tenant_a, DAY + timedelta(days=5))
    with tenant_context(tenant_a):
        partner.refresh_from_db()
    assert (partner.tier_id, partner.below_tier_since) == (ladder["gold"].pk, None)


def test_promotions_wait_for_approval_when_the_program_says_so(
    tenant_a, ladder, celery_eager, django_capture_on_commit_callbacks
):
    ladder["program"].promotions_need_approval = True
    with tenant_context(tenant_a):
        ladder["program"].save()
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    partner = make_partner(ladder, reps=1, channel_manager=manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(tenant_a)
    evaluate(tenant_a, DAY + timedelta(days=1))  # still qualifies: no second request
    with tenant_context(tenant_a):
        partner.refresh_from_db()
        pending = TierChange.objects.get()
    assert (partner.tier_id, pending.status) == (ladder["registered"].pk, "pending")
    assert "awaits approval" in mail.outbox[0].subject
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        tier_change_approve(tier_change=pending, actor=manager.user)
        partner.refresh_from_db()
        pending.refresh_from_db()
        assert partner.tier == ladder["silver"]
        assert (pending.status, pending.decided_by) == ("applied", manager.user)
        with pytest.raises(StateConflict) as conflict:
            tier_change_reject(tier_change=pending, actor=manager.user)
        assert conflict.value.current_state == "applied"
    assert "is now Silver" in mail.outbox[-1].subject


def test_a_rejected_promotion_is_not_requested_again_until_the_target_changes(tenant_a, ladder):
    ladder["program"].promotions_need_approval = True
    with tenant_context(tenant_a):
        ladder["program"].save()
    partner = make_partner(ladder, reps=1, days=5)
    evaluate(tenant_a)
    with tenant_context(tenant_a):
        tier_change_reject(tier_change=TierChange.objects.get(), actor=None)
    evaluate(tenant_a, DAY + timedelta(days=1))
    with tenant_context(tenant_a):
        assert TierChange.objects.filter(status="pending").count() == 0
    partner_member(partner, role=Role.PARTNER_REP)  # now qualifies for Gold: a new request
    evaluate(tenant_a, DAY + timedelta(days=40))
    with tenant_context(tenant_a):
        assert TierChange.objects.get(status="pending").to_tier == ladder["gold"]


def test_evaluation_query_count_does_not_grow_with_partners(tenant_a, ladder):
    def queries(today):
        with CaptureQueriesContext(connection) as captured:
            evaluate(tenant_a, today)
        return len(captured.captured_queries)

    queries(DAY - timedelta(days=1))  # warm caches (content types for the audit trail)
    for _ in range(2):
        make_partner(ladder, reps=1)
    few = queries(DAY)
    for _ in range(10):
        make_partner(ladder, reps=2, tier="silver", days=40)
    assert queries(DAY + timedelta(days=1)) == few


# --- pins -----------------------------------------------------------------------------------------


def test_a_pin_applies_now_holds_against_evaluation_and_expires(tenant_a, ladder, celery_eager):
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    partner = make_partner(ladder, reps=0)
    with tenant_context(tenant_a):
        last_day = tenant_today() + timedelta(days=3)
        change = tier_pin_set(
            partner=partner, tier=ladder["gold"], until=last_day, reason="Strategic", actor=manager.user
        )
        assert (change.kind, change.status, change.to_tier_id) == ("manual", "applied", ladder["gold"].pk)
        assert change.actor == manager.user and "Strategic" in change.reason
    evaluate(tenant_a, last_day)
    with tenant_context(tenant_a):
        partner.refresh_from_db()
    assert (partner.tier_id, partner.tier_pinned_until) == (ladder["gold"].pk, last_day)
    evaluate(tenant_a, last_day + timedelta(days=1))  # expired: pin dropped, below-date starts
    with tenant_context(tenant_a):
        partner.refresh_from_db()
    assert partner.tier_pinned_until is None and partner.tier_pin_reason == ""
    assert (partner.tier_id, partner.below_tier_since) == (ladder["gold"].pk, last_day + timedelta(days=1))


def test_pins_refuse_bad_input_and_change_nothing(tenant_a, ladder):
    partner = make_partner(ladder)
    other_program_tier = TierFactory(program__tenant=tenant_a, rank=0)
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as error:
            tier_pin_set(partner=partner, tier=other_program_tier, until=date(2000, 1, 1), reason=" ", actor=None)
        assert set(error.value.fields) == {"tier", "until", "reason"}
        with pytest.raises(StateConflict):
            tier_pin_clear(partner=partner, actor=None)
        partner.refresh_from_db()
        assert partner.tier == ladder["registered"] and not TierChange.objects.exists()


def test_a_pending_promotion_must_be_decided_before_pinning(tenant_a, ladder):
    ladder["program"].promotions_need_approval = True
    with tenant_context(tenant_a):
        ladder["program"].save()
    partner = make_partner(ladder, reps=1)
    evaluate(tenant_a)
    with tenant_context(tenant_a), pytest.raises(StateConflict) as conflict:
        tier_pin_set(partner=partner, tier=ladder["gold"], until=date(2099, 1, 1), reason="x", actor=None)
    assert conflict.value.current_state == "pending"


def test_unpinning_hands_the_partner_back_to_evaluation(tenant_a, ladder):
    partner = make_partner(ladder)
    with tenant_context(tenant_a):
        tier_pin_set(partner=partner, tier=ladder["gold"], until=date(2099, 1, 1), reason="Launch", actor=None)
        partner = tier_pin_clear(partner=partner, actor=None)
    assert partner.tier_pinned_until is None
    evaluate(tenant_a, DAY)
    with tenant_context(tenant_a):
        partner.refresh_from_db()
    assert partner.below_tier_since == DAY


def test_evaluation_sees_only_its_own_tenant(tenant_a, tenant_b, ladder):
    other = ProgramFactory(tenant=tenant_b)
    TierFactory(program=other, rank=0)
    foreign = PartnerFactory(program=other, tier=None)
    run = evaluate(tenant_a)
    assert run.partners_evaluated == 0
    with tenant_context(tenant_b):
        assert Partner.objects.get(pk=foreign.pk).tier is None


def test_the_beat_entry_fans_out_one_evaluation_per_active_tenant(tenant_a, tenant_b, ladder, celery_eager):
    from partners.tasks.tiers import tier_evaluate_all_task

    make_partner(ladder, reps=1)
    tenant_b.status = tenant_b.Status.SUSPENDED
    tenant_b.save()
    assert tier_evaluate_all_task.delay().get() == 1
    with tenant_context(tenant_a):
        run = TierEvaluationRun.objects.get()
        assert (run.run_on, run.changes) == (tenant_today(), 1)
    with tenant_context(tenant_b):
        assert not TierEvaluationRun.objects.exists()
