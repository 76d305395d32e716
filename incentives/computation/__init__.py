"""Set-based computation of incentive runs: a target query per program kind, posted as differences."""

from collections.abc import Callable

from . import points, rebate, registration_bonus, revenue_share, spif
from .context import RunContext

TargetQuery = Callable[[RunContext], tuple[str, list]]

# Each kind's target query: SELECT partner_id, recipient_partner_id, recipient_user_id, source,
# amount (rounded), occurred_on, explanation (jsonb) for the partners of the chunk.
TARGETS: dict[str, TargetQuery] = {
    "rebate": rebate.targets,
    "spif": spif.targets,
    "points": points.targets,
    "revenue_share": revenue_share.targets,
    "registration_bonus": registration_bonus.targets,
}

__all__ = ["TARGETS", "RunContext"]
