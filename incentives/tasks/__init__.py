"""Celery tasks of the incentives app. Each area's task module is imported here so workers register it."""

from .runs import run_execute_task, runs_schedule_all_task, runs_schedule_task

__all__ = ["run_execute_task", "runs_schedule_all_task", "runs_schedule_task"]
