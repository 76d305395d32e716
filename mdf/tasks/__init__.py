"""Celery tasks of the MDF app (imported here so workers register them)."""

from .lifecycle import (
    funds_period_start_all_task,
    funds_period_start_task,
    mdf_expiry_sweep_all_task,
    mdf_expiry_sweep_task,
    mdf_reminders_send_all_task,
    mdf_reminders_send_task,
)

__all__ = [
    "mdf_expiry_sweep_all_task",
    "mdf_expiry_sweep_task",
    "funds_period_start_all_task",
    "funds_period_start_task",
    "mdf_reminders_send_all_task",
    "mdf_reminders_send_task",
]
