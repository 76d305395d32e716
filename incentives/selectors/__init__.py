from .leaderboards import leaderboard_for_partner, leaderboard_top, partner_standing
from .programs import (
    EARNING_STATUSES,
    eligible_partners,
    partner_is_eligible,
    program_list,
    program_period_for,
    program_periods,
    rule_version_for,
    run_partner_ids,
)

__all__ = [
    "EARNING_STATUSES",
    "eligible_partners",
    "leaderboard_for_partner",
    "leaderboard_top",
    "partner_is_eligible",
    "partner_standing",
    "program_list",
    "program_period_for",
    "program_periods",
    "rule_version_for",
    "run_partner_ids",
]
