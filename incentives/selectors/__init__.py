from .points import (
    PointsBalance,
    points_balance,
    points_history,
    points_oldest_unspent_on,
    redemption_list,
    reward_is_eligible,
    reward_list,
    rewards_for_partner,
)
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
    "PointsBalance",
    "points_balance",
    "points_history",
    "points_oldest_unspent_on",
    "redemption_list",
    "reward_is_eligible",
    "reward_list",
    "rewards_for_partner",
    "EARNING_STATUSES",
    "eligible_partners",
    "partner_is_eligible",
    "program_list",
    "program_period_for",
    "program_periods",
    "rule_version_for",
    "run_partner_ids",
]
