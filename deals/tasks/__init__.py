"""Celery tasks of the deals app. Each area's task module is imported here so workers register it."""

from . import notices, protection  # noqa: F401
