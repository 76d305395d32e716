"""Every non-trivial read of the partners app; other apps import from here."""

from .agreements import agreement_acceptances_of, agreement_current, agreement_pending_for
from .applications import application_list, applications_same_domain, program_public_default, programs_public
from .checklist import onboarding_in_progress, onboarding_status_of
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
from .tiers import metric_values_for, tier_change_list, tier_list, tier_progress_for, unknown_program_and_tier_errors

__all__ = [
    "agreement_acceptances_of",
    "agreement_current",
    "agreement_pending_for",
    "application_list",
    "applications_same_domain",
    "business_plan_list",
    "business_plan_progress",
    "business_plans_progress",
    "channel_manager_candidates",
    "coverage_matrix",
    "metric_values_for",
    "onboarding_in_progress",
    "onboarding_status_of",
    "onboarding_steps_of",
    "partner_directory",
    "partner_of_membership",
    "partner_people",
    "partner_status_history",
    "partner_user_get",
    "program_public_default",
    "programs_public",
    "tier_change_list",
    "tier_list",
    "tier_progress_for",
    "unknown_program_and_tier_errors",
    "with_onboarding_progress",
]
