"""Every write of the partners app; other apps import from here."""

from .agreements import (
    agreement_accept,
    agreement_draft_create,
    agreement_draft_delete,
    agreement_draft_update,
    agreement_publish,
)
from .applications import application_approve, application_reject, application_request_info, application_submit
from .checklist import onboarding_step_complete_manual, onboarding_step_undo_manual, onboarding_sweep
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
from .programs import checklist_step_add, checklist_step_remove, checklist_step_update, program_create, program_update
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
    "agreement_accept",
    "agreement_draft_create",
    "agreement_draft_delete",
    "agreement_draft_update",
    "agreement_publish",
    "application_approve",
    "application_reject",
    "application_request_info",
    "application_submit",
    "business_plan_create",
    "business_plan_goal_remove",
    "business_plan_goal_set",
    "business_plan_update",
    "checklist_step_add",
    "checklist_step_remove",
    "checklist_step_update",
    "entry_tier",
    "onboarding_checklist_create",
    "onboarding_event_record",
    "onboarding_profile_check",
    "onboarding_step_complete_manual",
    "onboarding_step_undo_manual",
    "onboarding_sweep",
    "partner_assign_manager",
    "partner_create",
    "partner_lifecycle_action",
    "partner_logo_remove",
    "partner_logo_set",
    "partner_transition",
    "partner_update_profile",
    "partner_user_change_role",
    "partner_user_deactivate",
    "partner_user_invite",
    "partner_user_reactivate",
    "program_create",
    "program_update",
    "qbr_note_add",
    "tier_change_approve",
    "tier_change_reject",
    "tier_create",
    "tier_evaluate",
    "tier_pin_clear",
    "tier_pin_set",
    "tier_thresholds_update",
    "tier_update",
]
