"""Celery tasks of the content app (imported here so workers register them)."""

from .announcements import (  # noqa: F401
    announcement_email_send_task,
    announcements_due_send_all_task,
    announcements_due_send_task,
)
