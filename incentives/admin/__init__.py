"""Admin of the incentives app; each area's module registers its models."""

from . import ledger  # noqa: F401
