"""Celery tasks of the content app (imported here so workers register them)."""

from .announcements import (
    announcement_email_send_task,
    announcements_due_send_all_task,
    announcements_due_send_task,
)
from .training import certifications_sweep_all_task, certifications_sweep_task

__all__ = [
    "announcement_email_send_task",
    "announcements_due_send_all_task",
    "announcements_due_send_task",
    "certifications_sweep_all_task",
    "certifications_sweep_task",
]
