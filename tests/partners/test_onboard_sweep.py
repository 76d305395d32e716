"""The daily onboarding sweep: activation, reminders (who gets what) and idempotency."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partners.models import Partner, PartnerStatusChange
from partners.services.checklist import onboarding_sweep
from partners.tasks.onboarding import onboarding_sweep_all_task
from prm.accounts.roles import Role
from prm.accounts.services import membership_deactivate
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, UserFactory, partner_member

from .onboard_world import complete_step, onboarding_partner, program_with_checklist


@pytest.fixture
def sweep(tenant_a, celery_eager, django_capture_on_commit_callbacks):
    def run(tenant=tenant_a, today=None):
        with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
            return onboarding_sweep(today=today)

    return run


def finish_required_steps(partner):
    for kind in ("accept_agreement", "complete_profile", "manual"):
        complete_step(partner, kind, days_ago=1)


def test_partners_with_every_required_step_done_become_active_once(tenant_a, sweep):
    program = program_with_checklist(tenant_a)
    done = onboarding_partner(program, "Done BV")
    finish_required_steps(done)  # the optional logo step stays open
    almost = onboarding_partner(program, "Almost BV")
    complete_step(almost, "accept_agreement")
    result = sweep()
    assert result.activated == [done.pk] and result.reminded == []
    with tenant_context(tenant_a):
        done.refresh_from_db()
        assert done.status == "active" and done.onboarded_at is not None
        change = PartnerStatusChange.objects.filter(partner=done).latest("changed_at")
        assert (change.from_status, change.to_status, change.reason, change.actor) == (
            "onboarding",
            "active",
            "Onboarding checklist complete",
            None,
        )
        assert Partner.objects.get(pk=almost.pk).status == "onboarding"
    again = sweep()
    assert again.activated == [] and again.reminded == []
    with tenant_context(tenant_a):
        assert PartnerStatusChange.objects.filter(partner=done).count() == 2


def test_stalled_partners_remind_their_admins_and_channel_manager(tenant_a, sweep):
    program = program_with_checklist(tenant_a, target_days=30)
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER, user=UserFactory(email="cam@acme.example"))
    stalled = onboarding_partner(program, "Stalled BV", joined_days_ago=40, channel_manager=manager.user)
    complete_step(stalled, "accept_agreement", days_ago=8)
    partner_member(stalled, email="owner@stalled.example")
    partner_member(stalled, email="second@stalled.example")
    partner_member(stalled, role=Role.PARTNER_REP, email="rep@stalled.example")
    gone = partner_member(stalled, email="gone@stalled.example")
    with tenant_context(tenant_a):
        membership_deactivate(membership=gone, actor=None)
    busy = onboarding_partner(program, "Busy BV", joined_days_ago=40)
    partner_member(busy, email="owner@busy.example")
    complete_step(busy, "accept_agreement", days_ago=2)
    fresh = onboarding_partner(program, "Fresh BV", joined_days_ago=3)
    partner_member(fresh, email="owner@fresh.example")

    result = sweep()

    assert result.reminded == [stalled.pk]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "cam@acme.example",
        "owner@stalled.example",
        "second@stalled.example",
    ]
    to_owner = next(message for message in mail.outbox if message.to == ["owner@stalled.example"])
    assert to_owner.subject == "Onboarding of Stalled BV: 33% done"
    assert "after 40 days (target: 30 days)" in to_owner.body and "10 days over the target." in to_owner.body
    assert "- Complete your profile\n- Kick-off call\n- Upload a logo (optional)" in to_owner.body
    assert "Accept the agreement" not in to_owner.body
    assert "acme.localhost:8000/onboarding/\n" in to_owner.body
    to_manager = next(message for message in mail.outbox if message.to == ["cam@acme.example"])
    assert "Stalled BV has not completed an onboarding step" in to_manager.body
    assert f"/onboarding/partners/{stalled.pk}/" in to_manager.body
    with tenant_context(tenant_a):
        assert Partner.objects.get(pk=stalled.pk).onboarding_reminded_at is not None
        assert AuditEvent.objects.filter(action="onboarding.remind").count() == 1

    mail.outbox.clear()
    again = sweep()
    assert again.reminded == [] and mail.outbox == []


def test_reminders_repeat_weekly_while_the_partner_stays_stalled(tenant_a, sweep):
    program = program_with_checklist(tenant_a)
    partner = onboarding_partner(program, joined_days_ago=30)
    partner_member(partner, email="owner@nimbus.example")
    with tenant_context(tenant_a):
        Partner.objects.filter(pk=partner.pk).update(onboarding_reminded_at=timezone.now() - timedelta(days=3))
    assert sweep().reminded == [] and mail.outbox == []
    with tenant_context(tenant_a):
        Partner.objects.filter(pk=partner.pk).update(onboarding_reminded_at=timezone.now() - timedelta(days=7))
    assert sweep().reminded == [partner.pk]
    assert [message.to for message in mail.outbox] == [["owner@nimbus.example"]]
    assert "days left" in mail.outbox[0].body


def test_the_beat_task_sweeps_every_tenant_in_its_own_context(
    tenant_a, tenant_b, celery_eager, django_capture_on_commit_callbacks
):
    finished_a = onboarding_partner(program_with_checklist(tenant_a), "A BV")
    finish_required_steps(finished_a)
    finished_b = onboarding_partner(program_with_checklist(tenant_b), "B BV")
    finish_required_steps(finished_b)
    with django_capture_on_commit_callbacks(execute=True):
        assert onboarding_sweep_all_task.delay().get() == 2
    for tenant, partner in ((tenant_a, finished_a), (tenant_b, finished_b)):
        with tenant_context(tenant):
            assert Partner.objects.get(pk=partner.pk).status == "active"
