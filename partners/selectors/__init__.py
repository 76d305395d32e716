"""Every non-trivial read of the partners app; other apps import from here."""

from .agreements import agreement_acceptances_of, agreement_current, agreement_pending_for
from .applications import application_list, applications_same_domain, program_public_default, programs_public
from .checklist import onboarding_in_progress, onboarding_status_of
from .onboarding import onboarding_steps_of, with_onboarding_progress
from .people import partner_of_membership
from .tiers import metric_values_for, tier_change_list, tier_list, tier_progress_for

__all__ = [
    "agreement_acceptances_of",
    "agreement_current",
    "agreement_pending_for",
    "application_list",
    "applications_same_domain",
    "metric_values_for",
    "onboarding_in_progress",
    "onboarding_status_of",
    "onboarding_steps_of",
    "partner_of_membership",
    "program_public_default",
    "programs_public",
    "tier_change_list",
    "tier_list",
    "tier_progress_for",
    "with_onboarding_progress",
]
