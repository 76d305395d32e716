"""Tenant-scoped admin of the deals app, one module per area (imported here so the admin registers it)."""

from . import catalog, sales  # noqa: F401  (sales area)
