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

# Optional per kind: run once per run, before its chunks, with the context of ALL the run's partners, on the
# run's connection. It builds session temp tables (e.g. each partner's revenue in one scan of the sales instead
# of one scan per chunk) that the kind's target query reads when `ctx.prepared`; returns their names, which the
# run drops at its end (a killed worker's session takes them with it).
PrepareStep = Callable[[RunContext], list[str]]
PREPARE: dict[str, PrepareStep] = {"rebate": rebate.prepare}

__all__ = ["PREPARE", "TARGETS", "RunContext"]
