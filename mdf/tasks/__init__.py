"""Celery tasks of the MDF app (imported here so workers register them)."""

from .lifecycle import (
    allocations_expire_all_task,
    allocations_expire_task,
    funds_period_start_all_task,
    funds_period_start_task,
    mdf_reminders_send_all_task,
    mdf_reminders_send_task,
)

__all__ = [
    "allocations_expire_all_task",
    "allocations_expire_task",
    "funds_period_start_all_task",
    "funds_period_start_task",
    "mdf_reminders_send_all_task",
    "mdf_reminders_send_task",
]
