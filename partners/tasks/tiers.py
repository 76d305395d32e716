"""Tier tasks: the daily evaluation per tenant (fanned out by beat) and change notifications."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services.tiers import tenant_today, tier_change_notify, tier_evaluate


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def tier_evaluate_task(*, tenant_id: int, today: str | None = None) -> int | None:
    """Evaluate the tenant's partners for `today` (ISO date; default: today in the tenant's time zone).

    Returns the number of tier changes, or None when that day had already been evaluated.
    """
    run = tier_evaluate(today=date.fromisoformat(today) if today else tenant_today())
    return run.changes if run is not None else None


@shared_task
def tier_evaluate_all_task() -> int:
    """Beat entry: one evaluation task per active tenant."""
    return fan_out_to_tenants(tier_evaluate_task)


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tier_change_notify_task(*, tenant_id: int, tier_change_ids: list[int]) -> int:
    return tier_change_notify(tier_change_ids=tier_change_ids)
