"""Every write of the partners app; other apps import from here."""

from .applications import (
    application_approve,
    application_reject,
    application_request_info,
    application_submit,
)
from .lifecycle import entry_tier, partner_create, partner_transition, partner_update_profile
from .onboarding import onboarding_checklist_create, onboarding_event_record, onboarding_profile_check
from .people import partner_user_change_role, partner_user_deactivate, partner_user_invite, partner_user_reactivate

__all__ = [
    "entry_tier",
    "onboarding_checklist_create",
    "onboarding_event_record",
    "onboarding_profile_check",
    "partner_create",
    "partner_transition",
    "partner_update_profile",
    "partner_user_change_role",
    "partner_user_deactivate",
    "partner_user_invite",
    "partner_user_reactivate",
]
__all__ += ["application_approve", "application_reject", "application_request_info", "application_submit"]
