"""Celery tasks of the content app (imported here so workers register them)."""
