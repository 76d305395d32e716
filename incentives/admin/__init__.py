"""Admin of the incentives app; each area's module registers its models."""

from . import rewards  # noqa: F401
