"""Points expiry: a daily beat entry fans out to one task per tenant."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from partners.services.tiers import tenant_today
from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services.points import points_expire, points_expiry_remind


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def points_expire_task(*, tenant_id: int, today: str | None = None) -> dict:
    """Post the tenant's expiry lines for `today` (the tenant's today by default) and tell people whose points
    expire in 30 days; a rerun the same day posts and sends nothing."""
    day = date.fromisoformat(today) if today else tenant_today()
    result = points_expire(today=day)
    reminded = points_expiry_remind(today=day)
    return {"lines": result.lines, "points": result.points, "reminded": reminded}


@shared_task
def points_expire_all_task() -> int:
    """Daily beat entry: one expiry per active tenant."""
    return fan_out_to_tenants(points_expire_task)
