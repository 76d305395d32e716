"""Demo data: training."""


def seed(tenant, out) -> None:
    """Seed this area's demo data for `tenant` (idempotent)."""
