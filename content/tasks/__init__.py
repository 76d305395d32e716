"""Celery tasks of the content app (imported here so workers register them)."""

from .training import certifications_sweep_all_task, certifications_sweep_task

__all__ = ["certifications_sweep_all_task", "certifications_sweep_task"]
