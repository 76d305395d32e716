"""Celery tasks of the incentives app. Each area's task module is imported here so workers register it."""

from .leaderboards import leaderboards_refresh_all_task, leaderboards_refresh_task
from .points import points_expire_all_task, points_expire_task
from .runs import run_execute_task, runs_schedule_all_task, runs_schedule_task

__all__ = [
    "leaderboards_refresh_all_task",
    "leaderboards_refresh_task",
    "points_expire_all_task",
    "points_expire_task",
    "run_execute_task",
    "runs_schedule_all_task",
    "runs_schedule_task",
]
