"""Every write of the partners app; other apps import from here."""

from .company import partner_assign_manager, partner_lifecycle_action, partner_logo_remove, partner_logo_set
from .lifecycle import entry_tier, partner_create, partner_transition, partner_update_profile
from .onboarding import onboarding_checklist_create, onboarding_event_record, onboarding_profile_check
from .people import partner_user_change_role, partner_user_deactivate, partner_user_invite, partner_user_reactivate
from .plans import (
    business_plan_create,
    business_plan_goal_remove,
    business_plan_goal_set,
    business_plan_update,
    qbr_note_add,
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
]
# company: logo, channel manager, named lifecycle actions, business plans
__all__ += [
    "business_plan_create",
    "business_plan_goal_remove",
    "business_plan_goal_set",
    "business_plan_update",
    "partner_assign_manager",
    "partner_lifecycle_action",
    "partner_logo_remove",
    "partner_logo_set",
    "qbr_note_add",
]
