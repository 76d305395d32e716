"""Manually logged activities that earn points (demos, webinars): `ActivityEvent` rows the points
computation reads through the event-kind registry (`incentives.activity_kinds`)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partners.models import PartnerUser
from partners.services.tiers import tenant_today
from prm.accounts.models import Membership
from prm.accounts.roles import Role, role_can
from prm.audit.services import audit_record
from prm.errors import Duplicate, InvalidInput, NotAllowed

from ..activity_kinds import MANUAL_KINDS
from ..models import ActivityEvent

MANAGE = "incentives.manage"
# What a partner user may log: their own demos. Managers record any manual kind for anyone.
SELF_LOGGED_KINDS = ("demo_logged",)
REFERENCE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 240


def _role(actor) -> str | None:
    membership = Membership.objects.filter(user=actor, is_active=True).only("role").first()
    return membership.role if membership is not None else None


def _check_allowed(actor, kind: str, user) -> None:
    role = _role(actor)
    if role_can(role, MANAGE):
        return
    if role in (Role.PARTNER_ADMIN, Role.PARTNER_REP) and kind in SELF_LOGGED_KINDS and user.pk == actor.pk:
        return
    raise NotAllowed(_("You can only log your own demos; a manager records webinar attendance."))


@transaction.atomic
def activity_log(
    *, actor, kind: str, user, partner, occurred_on: date, reference: str, description: str = ""
) -> ActivityEvent:
    """Record an activity of a manual kind for `user` at `partner`; the same reference of the same kind
    and person is recorded once (Duplicate)."""
    if kind not in MANUAL_KINDS:
        message = _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(MANUAL_KINDS)}
        raise InvalidInput(message, fields={"kind": [message]})
    _check_allowed(actor, kind, user)
    if not PartnerUser.objects.filter(partner=partner, membership__user=user, membership__is_active=True).exists():
        message = _("This person does not work for this partner.")
        raise InvalidInput(message, fields={"user": [message]})
    if occurred_on > tenant_today():
        message = _("The date cannot be in the future.")
        raise InvalidInput(message, fields={"occurred_on": [message]})
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_MAX_LENGTH:
        message = _("Give a reference of at most %(max)d characters.") % {"max": REFERENCE_MAX_LENGTH}
        raise InvalidInput(message, fields={"reference": [message]})
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        message = _("Use at most %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH}
        raise InvalidInput(message, fields={"description": [message]})
    try:
        with transaction.atomic():
            event = ActivityEvent.objects.create(
                kind=kind,
                user=user,
                partner=partner,
                occurred_on=occurred_on,
                reference=reference,
                description=description,
                logged_by=actor,
            )
    except IntegrityError:
        message = _("This activity is recorded already.")
        raise Duplicate(message, fields={"reference": [message]}) from None
    audit_record(
        action="incentives.activity_log",
        actor=actor,
        obj=event,
        context={"kind": kind, "user": user.pk, "partner": partner.pk, "occurred_on": occurred_on.isoformat()},
    )
    return event
