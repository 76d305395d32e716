"""The lead SLA: unanswered offers expire, the lead is flagged and passed to the next best partner, or
back to the managers when no partner is left; reruns change nothing."""

from django.conf import settings
from django.core import mail

from deals.models import Lead, LeadAssignment
from deals.services import lead_sla_sweep
from deals.tasks.leads import lead_sla_sweep_all_task
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context

from .lead_support import assigned_lead, lead_world


def outcomes(tenant, lead) -> list[tuple[int, str, str]]:
    with tenant_context(tenant):
        return list(
            LeadAssignment.objects.filter(lead=lead).order_by("id").values_list("partner_id", "method", "outcome")
        )


def test_an_overdue_lead_goes_to_the_next_best_partner_once(tenant_a, celery_eager, django_capture_on_commit_callbacks):
    world = lead_world(tenant_a)
    overdue = assigned_lead(world, hours_ago=49)
    in_time = assigned_lead(world, hours_ago=47)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        first = lead_sla_sweep()
        second = lead_sla_sweep()
    assert (first.expired, first.reassigned, first.returned) == (1, 1, 0)
    assert (second.expired, second.reassigned, second.returned) == (0, 0, 0)
    assert outcomes(tenant_a, overdue) == [
        (world.partner.pk, "manual", "expired"),
        (world.other.pk, "matched", "open"),
    ]
    assert outcomes(tenant_a, in_time) == [(world.partner.pk, "manual", "open")]
    with tenant_context(tenant_a):
        overdue.refresh_from_db()
        factors = LeadAssignment.objects.get(lead=overdue, outcome="open").factors
        told = list(Notification.objects.filter(title__startswith="New lead").values_list("user_id", flat=True))
    assert overdue.status == "assigned" and overdue.partner_id == world.other.pk
    assert overdue.sla_flagged_at is not None and overdue.accept_due_at > overdue.sla_flagged_at
    assert factors["total"] == 30 + 15  # Cumulus: country and region
    assert world.other_admin.user_id in told
    assert [message.to for message in mail.outbox] == [[world.other_admin.user.email]]


def test_with_no_partner_left_the_lead_returns_to_the_managers(tenant_a):
    world = lead_world(tenant_a)
    lead = assigned_lead(world, world.other, hours_ago=49)
    with tenant_context(tenant_a):
        assert lead_sla_sweep().reassigned == 1  # the best match (Nimbus) had not had it yet
        Lead.objects.filter(pk=lead.pk).update(accept_due_at=lead.accept_due_at)  # Nimbus misses it too
        result = lead_sla_sweep()
        lead.refresh_from_db()
        told = list(Notification.objects.filter(title__contains="needs a partner").values_list("user_id", "url"))
    assert (result.expired, result.reassigned, result.returned) == (1, 0, 1)
    assert (lead.status, lead.partner_id, lead.accept_due_at) == ("new", None, None)
    assert told == [(world.manager.user_id, f"/leads/{lead.pk}/")]
    assert [outcome for _partner, _method, outcome in outcomes(tenant_a, lead)] == ["expired", "expired"]
    with tenant_context(tenant_a):
        assert lead_sla_sweep().expired == 0


def test_the_beat_task_sweeps_every_tenant(tenant_a, tenant_b, celery_eager):
    world_a, world_b = lead_world(tenant_a), lead_world(tenant_b)
    lead_a = assigned_lead(world_a, hours_ago=50)
    lead_b = assigned_lead(world_b, hours_ago=50)
    assert lead_sla_sweep_all_task.delay().get() == 2
    for tenant, world, lead in ((tenant_a, world_a, lead_a), (tenant_b, world_b, lead_b)):
        with tenant_context(tenant):
            lead.refresh_from_db()
        assert lead.partner_id == world.other.pk and lead.sla_flagged_at is not None


def test_the_sweep_is_on_the_beat_schedule_every_15_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["deals-lead-sla-sweep"]
    assert entry["task"] == "deals.tasks.leads.lead_sla_sweep_all_task"
    assert entry["schedule"].minute == set(range(0, 60, 15))
