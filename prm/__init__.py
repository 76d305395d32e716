"""PRM: the project package and its core (tenancy, accounts, API, audit, ops, portal shell)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
