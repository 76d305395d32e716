"""Every non-trivial read of the partners app; other apps import from here."""

from .onboarding import onboarding_steps_of, with_onboarding_progress
from .people import partner_of_membership
from .tiers import metric_values_for, tier_change_list, tier_list, tier_progress_for

__all__ = [
    "metric_values_for",
    "onboarding_steps_of",
    "partner_of_membership",
    "tier_change_list",
    "tier_list",
    "tier_progress_for",
    "with_onboarding_progress",
]
