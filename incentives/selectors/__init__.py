from .activity import activities_visible_to, activity_list
from .program_views import (
    program_views,
    programs_for_partner,
    programs_visible_to,
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
    "activities_visible_to",
    "activity_list",
    "EARNING_STATUSES",
    "eligible_partners",
    "partner_is_eligible",
    "program_list",
    "program_period_for",
    "program_views",
    "program_periods",
    "programs_for_partner",
    "programs_visible_to",
    "rule_version_for",
    "run_partner_ids",
]
