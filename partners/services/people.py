from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from prm.accounts.models import Membership
from prm.accounts.roles import PARTNER_ROLES, Role
from prm.accounts.services import (
    membership_deactivate,
    membership_grant,
    membership_reactivate,
    user_get_or_create_invited,
)
from prm.accounts.tasks import membership_invitation_send_task
from prm.audit.services import audit_record
from prm.errors import Duplicate, InvalidInput, StateConflict

from ..models import Partner, PartnerStatus, PartnerUser
from ..step_kinds import INVITE_REP
from .onboarding import onboarding_event_record


@transaction.atomic
def partner_user_invite(*, partner: Partner, actor, email: str, role: str, full_name: str = "") -> PartnerUser:
    """Invite `email` into `partner` as partner admin or rep and email them the way in.

    One identity may work with several vendors, but with only one partner per vendor.
    """
    if role not in PARTNER_ROLES:
        raise InvalidInput(_("Choose a partner role."), fields={"role": [_("Choose partner admin or partner rep.")]})
    if partner.status == PartnerStatus.OFFBOARDED:
        raise StateConflict(_("This partner has been offboarded."), current_state=partner.status)
    try:
        validate_email((email or "").strip())
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid email address."), fields={"email": exc.messages}) from exc
    user = user_get_or_create_invited(email=email, full_name=full_name)
    existing = Membership.objects.filter(user=user).first()
    if existing is not None:
        link = PartnerUser.objects.filter(membership=existing).first()
        if link is not None and link.partner_id != partner.pk:
            message = _("%(email)s already belongs to another partner of this vendor.") % {"email": user.email}
        elif link is not None:
            message = _("%(email)s is already a member of this partner.") % {"email": user.email}
        else:
            message = _("%(email)s is on the vendor's own team.") % {"email": user.email}
        raise Duplicate(message, fields={"email": [message]})
    membership = membership_grant(
        tenant=partner.tenant, actor=actor, user=user, role=role, action="partner_user.invite"
    )
    partner_user = PartnerUser.objects.create(partner=partner, membership=membership)
    audit_record(action="partner_user.invite", actor=actor, obj=partner, context={"email": user.email, "role": role})
    if role == Role.PARTNER_REP:
        onboarding_event_record(partner=partner, kind=INVITE_REP, actor=actor, note=f"invited {user.email}")
    membership_invitation_send_task.delay_on_commit(tenant_id=partner.tenant_id, membership_id=membership.pk)
    return partner_user


def _active_admins(partner: Partner) -> int:
    rows = Membership.objects.select_for_update().filter(
        partner_links__partner=partner, role=Role.PARTNER_ADMIN, is_active=True
    )
    return len(list(rows.values_list("pk", flat=True)))


@transaction.atomic
def partner_user_deactivate(*, partner_user: PartnerUser, actor) -> PartnerUser:
    membership = partner_user.membership
    if membership.role == Role.PARTNER_ADMIN and membership.is_active and _active_admins(partner_user.partner) <= 1:
        raise StateConflict(_("A partner needs at least one active partner admin."), current_state=membership.role)
    membership_deactivate(membership=membership, actor=actor)
    return partner_user


@transaction.atomic
def partner_user_reactivate(*, partner_user: PartnerUser, actor) -> PartnerUser:
    membership_reactivate(membership=partner_user.membership, actor=actor)
    return partner_user


@transaction.atomic
def partner_user_change_role(*, partner_user: PartnerUser, actor, role: str) -> PartnerUser:
    membership = partner_user.membership
    if role not in PARTNER_ROLES:
        raise InvalidInput(_("Choose a partner role."), fields={"role": [_("Choose partner admin or partner rep.")]})
    if role == membership.role:
        return partner_user
    if membership.role == Role.PARTNER_ADMIN and membership.is_active and _active_admins(partner_user.partner) <= 1:
        raise StateConflict(_("A partner needs at least one active partner admin."), current_state=membership.role)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(action="partner_user.change_role", actor=actor, obj=membership, changes={"role": [before, role]})
    return partner_user
