"""Tenant-scoped admin of the partners app, one module per area (imported here so the admin registers it)."""

from . import applications, partners, plans, programs, tiers  # noqa: F401
