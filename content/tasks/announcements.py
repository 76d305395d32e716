"""Announcement emails: one task per announcement that goes live with `send_email` (enqueued on commit by the
services), and a sweep every few minutes, fanned out by beat to every active tenant, for the scheduled ones whose
time came. Each announcement is sent once, however often these run."""

from celery import shared_task
from django.db import OperationalError

from prm.tenancy.celery import fan_out_to_tenants, tenant_task

from ..services.announcements import announcement_email_send, announcements_due_send


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def announcement_email_send_task(*, tenant_id: int, announcement_id: int) -> int:
    return announcement_email_send(announcement_id=announcement_id)


@tenant_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def announcements_due_send_task(*, tenant_id: int) -> int:
    return len(announcements_due_send())


@shared_task
def announcements_due_send_all_task() -> int:
    return fan_out_to_tenants(announcements_due_send_task)
