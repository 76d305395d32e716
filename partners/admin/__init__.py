"""Tenant-scoped admin of the partners app, one module per area (imported here so the admin registers it)."""

from . import partners, plans  # noqa: F401  (company area)
