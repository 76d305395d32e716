from .activity import activities_visible_to, activity_list
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
    "activities_visible_to",
    "activity_list",
    "EARNING_STATUSES",
    "eligible_partners",
    "partner_is_eligible",
    "program_list",
    "program_period_for",
    "program_periods",
    "rule_version_for",
    "run_partner_ids",
]
