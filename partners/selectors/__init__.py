"""Every non-trivial read of the partners app; other apps import from here."""

from .onboarding import onboarding_steps_of, with_onboarding_progress
from .people import partner_of_membership

__all__ = ["onboarding_steps_of", "partner_of_membership", "with_onboarding_progress"]
