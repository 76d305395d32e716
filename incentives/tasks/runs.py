"""Running incentive programs: the daily schedule (fanned out by beat) and the execution of one run."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from partners.services.tiers import tenant_today
from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services.runs import RunBusy, run_execute
from ..services.schedule import runs_schedule


@tenant_task(
    autoretry_for=(RunBusy, OperationalError),
    retry_backoff=5,
    max_retries=8,
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_execute_task(*, tenant_id: int, run_id: int) -> dict:
    run = run_execute(run_id=run_id)
    return {"status": run.status, "lines": run.lines_posted}


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def runs_schedule_task(*, tenant_id: int, today: str | None = None) -> int:
    """Queue today's provisional runs and the final runs of periods past their grace days."""
    return len(runs_schedule(today=date.fromisoformat(today) if today else tenant_today()))


@shared_task
def runs_schedule_all_task() -> int:
    """Daily beat entry: one schedule per active tenant."""
    return fan_out_to_tenants(runs_schedule_task)
