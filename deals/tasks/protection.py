"""The daily protection sweep: expiry and reminders, once per tenant (fanned out by beat)."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from partners.services.tiers import tenant_today
from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services import deal_protection_sweep


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def deal_protection_sweep_task(*, tenant_id: int, today: str | None = None) -> dict:
    """Sweep the tenant for `today` (ISO date; default: today in the tenant's time zone)."""
    result = deal_protection_sweep(today=date.fromisoformat(today) if today else tenant_today())
    return {"expired": len(result.expired), "reminded": len(result.reminded)}


@shared_task
def deal_protection_sweep_all_task() -> int:
    """Daily beat entry: one sweep per active tenant."""
    return fan_out_to_tenants(deal_protection_sweep_task)
