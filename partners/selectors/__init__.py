"""Every non-trivial read of the partners app; other apps import from here."""

from .company import (
    channel_manager_candidates,
    coverage_matrix,
    partner_directory,
    partner_people,
    partner_status_history,
    partner_user_get,
)
from .onboarding import onboarding_steps_of, with_onboarding_progress
from .people import partner_of_membership
from .plans import business_plan_list, business_plan_progress, business_plans_progress

__all__ = ["onboarding_steps_of", "partner_of_membership", "with_onboarding_progress"]
# company: directory, detail, people, coverage, plans
__all__ += [
    "business_plan_list",
    "business_plan_progress",
    "business_plans_progress",
    "channel_manager_candidates",
    "coverage_matrix",
    "partner_directory",
    "partner_people",
    "partner_status_history",
    "partner_user_get",
]
