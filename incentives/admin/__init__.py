"""Admin of the incentives app; each area's module registers its models."""

from . import activity, ledger, programs, rewards  # noqa: F401
