"""Tenant-scoped admin of the deals app, one module per area (imported here so the admin registers it)."""

from . import leads  # noqa: F401
