from datetime import date

from celery import shared_task

from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..models import Partner
from ..services.checklist import onboarding_reminder_send, onboarding_sweep


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def onboarding_sweep_task(*, tenant_id: int, today: str | None = None) -> dict:
    result = onboarding_sweep(today=date.fromisoformat(today) if today else None)
    return {"activated": result.activated, "reminded": result.reminded}


@shared_task
def onboarding_sweep_all_task() -> int:
    """Daily beat entry: one sweep per active tenant."""
    return fan_out_to_tenants(onboarding_sweep_task)


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def onboarding_reminder_send_task(*, tenant_id: int, partner_id: int) -> int:
    partner = Partner.objects.select_related("tenant", "program", "channel_manager").get(pk=partner_id)
    return onboarding_reminder_send(partner=partner)
