"""The daily certification sweep, fanned out by beat to every active tenant: expire the certifications whose expiry
has passed and remind holders 30 days before. A rerun sends nothing twice."""

from datetime import datetime

from celery import shared_task
from django.db import OperationalError

from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services import certifications_sweep


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def certifications_sweep_task(*, tenant_id: int, now: str | None = None) -> dict:
    result = certifications_sweep(now=datetime.fromisoformat(now) if now else None)
    return {"expired": len(result.expired), "reminded": len(result.reminded)}


@shared_task
def certifications_sweep_all_task() -> int:
    return fan_out_to_tenants(certifications_sweep_task)
