"""Every non-trivial read of the partners app; other apps import from here."""

from .applications import application_list, applications_same_domain, program_public_default, programs_public
from .onboarding import onboarding_steps_of, with_onboarding_progress
from .people import partner_of_membership

__all__ = ["onboarding_steps_of", "partner_of_membership", "with_onboarding_progress"]
__all__ += ["application_list", "applications_same_domain", "program_public_default", "programs_public"]
