"""Celery tasks of the deals app. Each area's task module is imported here so workers register it."""

from . import leads, notices, protection  # noqa: F401
