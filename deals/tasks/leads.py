"""Lead tasks: the SLA sweep per tenant (fanned out by beat every 15 minutes) and the assignment email."""

from celery import shared_task
from django.db import OperationalError

from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..models import LeadAssignment
from ..services.leads import lead_assigned_email_send, lead_sla_sweep


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def lead_sla_sweep_task(*, tenant_id: int) -> dict:
    result = lead_sla_sweep()
    return {"expired": result.expired, "reassigned": result.reassigned, "returned": result.returned}


@shared_task
def lead_sla_sweep_all_task() -> int:
    """Beat entry: one SLA sweep per active tenant."""
    return fan_out_to_tenants(lead_sla_sweep_task)


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def lead_assigned_email_task(*, tenant_id: int, assignment_id: int) -> int:
    assignment = LeadAssignment.objects.select_related("lead", "partner").get(pk=assignment_id)
    return lead_assigned_email_send(assignment=assignment)
