"""Tenant-scoped admin of the content app: the library, training and announcements, written through the services."""

from . import announcements, library, training  # noqa: F401
