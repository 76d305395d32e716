"""Every write of the partners app; other apps import from here."""

from .lifecycle import entry_tier, partner_create, partner_transition, partner_update_profile
from .onboarding import onboarding_checklist_create, onboarding_event_record, onboarding_profile_check
from .people import partner_user_change_role, partner_user_deactivate, partner_user_invite, partner_user_reactivate
from .tiers import (
    tier_change_approve,
    tier_change_reject,
    tier_create,
    tier_evaluate,
    tier_pin_clear,
    tier_pin_set,
    tier_thresholds_update,
    tier_update,
)

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
    "tier_change_approve",
    "tier_change_reject",
    "tier_create",
    "tier_evaluate",
    "tier_pin_clear",
    "tier_pin_set",
    "tier_thresholds_update",
    "tier_update",
]
