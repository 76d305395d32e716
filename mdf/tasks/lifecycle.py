"""The daily MDF lifecycle, fanned out by beat to every active tenant: period-start allocations, expiry (with the
lapse of requests not claimed in time) and reminders. `today` (ISO date) defaults to today in the tenant's time
zone; a rerun the same day is a no-op."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services import funds_period_start, mdf_expiry_sweep, mdf_reminders_send


def _day(today: str | None) -> date | None:
    return date.fromisoformat(today) if today else None


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def funds_period_start_task(*, tenant_id: int, today: str | None = None) -> dict:
    result = funds_period_start(today=_day(today))
    return {"allocated": sum(result.allocated.values()), "over_budget": result.over_budget}


@shared_task
def funds_period_start_all_task() -> int:
    return fan_out_to_tenants(funds_period_start_task)


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def mdf_expiry_sweep_task(*, tenant_id: int, today: str | None = None) -> dict:
    result = mdf_expiry_sweep(today=_day(today))
    return {
        "lapsed": len(result.lapsed),
        "allocations": len(result.expired),
        "amount": str(sum(result.expired.values())),
    }


@shared_task
def mdf_expiry_sweep_all_task() -> int:
    return fan_out_to_tenants(mdf_expiry_sweep_task)


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def mdf_reminders_send_task(*, tenant_id: int, today: str | None = None) -> dict:
    result = mdf_reminders_send(today=_day(today))
    return {"allocations": len(result.allocations), "requests": len(result.requests)}


@shared_task
def mdf_reminders_send_all_task() -> int:
    return fan_out_to_tenants(mdf_reminders_send_task)
