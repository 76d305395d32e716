"""Tenant-scoped admin of the deals app, one module per area (imported here so the admin registers it)."""

from . import catalog, deals, leads, protection, sales  # noqa: F401
