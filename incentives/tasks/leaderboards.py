"""Leaderboard snapshots: refreshed after every run (services.leaderboards.leaderboard_refresh_after_run) and
by beat for the current periods, fanned out per tenant."""

from celery import shared_task
from django.db import OperationalError

from partners.services.tiers import tenant_today
from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services.leaderboards import current_period_keys, leaderboard_refresh


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def leaderboards_refresh_task(*, tenant_id: int, period_keys: list[str] | None = None, previous: bool = False) -> int:
    """Refresh the given periods, or the current month, quarter and year (and the previous ones with `previous`)."""
    keys = period_keys or current_period_keys(tenant_today(), previous=previous)
    return sum(leaderboard_refresh(period_key=key) for key in keys)


@shared_task
def leaderboards_refresh_all_task(previous: bool = False) -> int:
    """Beat entry: one refresh of the current periods per active tenant."""
    return fan_out_to_tenants(leaderboards_refresh_task, previous=previous)
