"""Admin of the incentives app; each area's module registers its models."""

from . import (
    activity,  # noqa: F401
    programs,  # noqa: F401
)
