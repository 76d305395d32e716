"""Celery tasks of the partners app. Each area's task module is imported here so workers register it."""

from . import (  # noqa: F401
    applications,
    onboarding,
    tiers,
)
