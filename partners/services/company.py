"""Company-level writes beyond the core lifecycle: logo, channel manager, named lifecycle actions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.validators import validate_logo_file

from ..models import Partner, PartnerStatus
from ..selectors.company import channel_manager_candidates
from ..step_kinds import UPLOAD_LOGO
from .lifecycle import partner_transition
from .onboarding import onboarding_event_record

S = PartnerStatus
# The lifecycle actions people take by name (portal buttons, API actions, admin actions): the
# statuses each one starts from, and where it leads. `partner_transition` still has the last word.
LIFECYCLE_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "activate": (frozenset({S.ONBOARDING}), S.ACTIVE),
    "suspend": (frozenset({S.ONBOARDING, S.ACTIVE}), S.SUSPENDED),
    "reactivate": (frozenset({S.SUSPENDED}), S.ACTIVE),
    "offboard": (frozenset({S.APPLICANT, S.ONBOARDING, S.ACTIVE, S.SUSPENDED}), S.OFFBOARDED),
}
REASON_REQUIRED = frozenset({"suspend", "offboard"})


def lifecycle_actions_for(status: str) -> list[str]:
    """The named actions open to a partner in `status`, in a stable order."""
    return [name for name, (sources, _target) in LIFECYCLE_ACTIONS.items() if status in sources]


@transaction.atomic
def partner_lifecycle_action(*, partner: Partner, actor, action: str, reason: str = "") -> Partner:
    """Run the named lifecycle action; 409 with the current status when the action cannot start from it."""
    if action not in LIFECYCLE_ACTIONS:
        raise InvalidInput(_("Unknown action."), fields={"action": [action]})
    sources, target = LIFECYCLE_ACTIONS[action]
    current = Partner.objects.select_for_update().get(pk=partner.pk)
    if current.status not in sources:
        raise StateConflict(
            _("This action is not possible while the partner is %(status)s.")
            % {"status": current.get_status_display().lower()},
            current_state=current.status,
        )
    return partner_transition(partner=current, actor=actor, to_status=target, reason=reason)


@transaction.atomic
def partner_logo_set(*, partner: Partner, actor, upload) -> Partner:
    """Store a new logo (PNG, JPEG or WebP, checked by content and size) under a generated name.

    Completes the partner's "upload logo" onboarding steps; the replaced file is deleted after commit.
    """
    try:
        validate_logo_file(upload)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={"logo": exc.messages}) from exc
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    old_name, storage = partner.logo.name, partner.logo.storage
    partner.logo.save("logo", upload, save=False)
    partner.save(update_fields=["logo", "updated_at"])
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    audit_record(action="partner.logo_set", actor=actor, obj=partner, changes={"logo": [old_name, partner.logo.name]})
    onboarding_event_record(partner=partner, kind=UPLOAD_LOGO, actor=actor, note="logo uploaded")
    return partner


@transaction.atomic
def partner_logo_remove(*, partner: Partner, actor) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not partner.logo:
        return partner
    old_name, storage = partner.logo.name, partner.logo.storage
    partner.logo = ""
    partner.save(update_fields=["logo", "updated_at"])
    transaction.on_commit(lambda: storage.delete(old_name))
    audit_record(action="partner.logo_remove", actor=actor, obj=partner, changes={"logo": [old_name, ""]})
    return partner


@transaction.atomic
def partner_assign_manager(*, partner: Partner, actor, manager) -> Partner:
    """Make `manager` (or nobody, with None) the partner's channel account manager."""
    if manager is not None and not channel_manager_candidates().filter(pk=manager.pk).exists():
        message = _("Choose an active member of the vendor's team.")
        raise InvalidInput(message, fields={"channel_manager": [message]})
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = partner.channel_manager
    if before == manager:
        return partner
    partner.channel_manager = manager
    partner.save(update_fields=["channel_manager", "updated_at"])
    audit_record(
        action="partner.assign_manager",
        actor=actor,
        obj=partner,
        changes={"channel_manager": [before.email if before else None, manager.email if manager else None]},
    )
    return partner
