"""Versioned partner agreements: drafts, publishing (immutable from then on) and acceptance."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import Duplicate, InvalidInput, NotAllowed, StateConflict

from ..models import Agreement, AgreementAcceptance, Partner, Program
from ..selectors.agreements import agreement_current
from ..step_kinds import ACCEPT_AGREEMENT
from .onboarding import onboarding_event_record

PUBLISHED = "published"
DRAFT = "draft"


def _validate_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("This field is required.")]
    elif len(title) > Agreement._meta.get_field("title").max_length:
        errors["title"] = [_("Keep the title under 160 characters.")]
    if not body:
        errors["body"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(_("An agreement needs a title and its text."), fields=errors)
    return title, body


@transaction.atomic
def agreement_draft_create(*, program: Program, actor, title: str, body: str) -> Agreement:
    """The next version of the program's agreement, unpublished. One draft at a time."""
    title, body = _validate_text(title, body)
    # Lock the program so two drafts cannot take the same version number.
    Program.objects.select_for_update().get(pk=program.pk)
    draft = Agreement.objects.filter(program=program, published_at__isnull=True).first()
    if draft is not None:
        raise Duplicate(
            _("Version %(version)d is still a draft: edit or publish it first.") % {"version": draft.version}
        )
    latest = Agreement.objects.filter(program=program).aggregate(latest=Max("version"))["latest"] or 0
    agreement = Agreement.objects.create(program=program, version=latest + 1, title=title, body=body)
    audit_record(action="agreement.draft_create", actor=actor, obj=agreement, context={"program": program.pk})
    return agreement


def _lock_draft(agreement: Agreement) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.published_at is not None:
        raise StateConflict(
            _("Version %(version)d is published and cannot change; create a new version instead.")
            % {"version": agreement.version},
            current_state=PUBLISHED,
        )
    return agreement


@transaction.atomic
def agreement_draft_update(*, agreement: Agreement, actor, title: str | None = None, body: str | None = None):
    agreement = _lock_draft(agreement)
    before = audit_snapshot(agreement, ["title", "body"])
    agreement.title, agreement.body = _validate_text(
        agreement.title if title is None else title, agreement.body if body is None else body
    )
    agreement.save(update_fields=["title", "body"])
    changes = audit_diff(before, audit_snapshot(agreement, ["title", "body"]))
    if changes:
        audit_record(action="agreement.draft_update", actor=actor, obj=agreement, changes=changes)
    return agreement


@transaction.atomic
def agreement_draft_delete(*, agreement: Agreement, actor) -> None:
    agreement = _lock_draft(agreement)
    audit_record(action="agreement.draft_delete", actor=actor, obj=agreement)
    agreement.delete()


@transaction.atomic
def agreement_publish(*, agreement: Agreement, actor) -> Agreement:
    """Make the draft the current version: every partner admin of the program is asked to accept it."""
    agreement = _lock_draft(agreement)
    agreement.published_at = timezone.now()
    agreement.save(update_fields=["published_at"])
    audit_record(
        action="agreement.publish",
        actor=actor,
        obj=agreement,
        changes={"published_at": [None, agreement.published_at]},
        context={"program": agreement.program_id, "version": agreement.version},
    )
    return agreement


def _clean_ip(ip_address: str | None) -> str | None:
    try:
        validate_ipv46_address(ip_address or "")
    except ValidationError:
        return None
    return ip_address


@transaction.atomic
def agreement_accept(
    *, partner: Partner, user, ip_address: str | None, agreement: Agreement | None = None
) -> AgreementAcceptance:
    """`user`, a partner admin of `partner`, accepts the current version of the program's agreement.

    Passing `agreement` asserts which version the user saw: anything but the current one is refused.
    Accepting again returns the first acceptance and records nothing new.
    """
    is_admin = Membership.objects.filter(
        user=user, role=Role.PARTNER_ADMIN, is_active=True, partner_links__partner=partner
    ).exists()
    if not is_admin:
        raise NotAllowed(_("Only a partner admin of this partner can accept its agreement."))
    current = agreement_current(partner.program_id)
    if current is None:
        raise StateConflict(_("This program has no published agreement yet."), current_state="none")
    if agreement is not None and agreement.pk != current.pk:
        state = DRAFT if agreement.published_at is None else "superseded"
        raise StateConflict(
            _("This is not the current version of your program's agreement (version %(version)d is).")
            % {"version": current.version},
            current_state=state,
        )
    acceptance, created = AgreementAcceptance.objects.get_or_create(
        partner=partner, agreement=current, user=user, defaults={"ip_address": _clean_ip(ip_address)}
    )
    if created:
        audit_record(
            action="agreement.accept",
            actor=user,
            obj=current,
            context={"partner": partner.pk, "version": current.version},
        )
        onboarding_event_record(
            partner=partner,
            kind=ACCEPT_AGREEMENT,
            actor=user,
            note=_("accepted %(title)s v%(version)d") % {"title": current.title, "version": current.version},
        )
    return acceptance
