"""Tenant-scoped admin of the partners app, one module per area (imported here so the admin registers it)."""

from . import (  # noqa: F401
    applications,
    programs,
    tiers,
)
