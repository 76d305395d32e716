from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import Duplicate, InvalidInput, StateConflict

from ..countries import is_country
from ..models import Partner, PartnerStatus, PartnerStatusChange, Program, Tier
from ..profile import PROFILE_FIELDS, normalise_domain
from ..rules import can_transition
from .onboarding import onboarding_checklist_create, onboarding_profile_check


def entry_tier(program: Program) -> Tier | None:
    return program.tiers.order_by("rank").first()


def _refuse_duplicate_domain(domain: str, *, exclude_pk=None) -> None:
    if not domain:
        return
    clash = Partner.objects.filter(domain=domain).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise Duplicate(
            _("%(name)s already uses the domain %(domain)s.") % {"name": clash.name, "domain": domain},
            fields={"website": [_("Another partner has this domain.")]},
        )


@transaction.atomic
def partner_create(
    *,
    actor,
    name: str,
    program: Program,
    website: str = "",
    status: str = PartnerStatus.ONBOARDING,
    channel_manager=None,
    **profile,
) -> Partner:
    """A new partner company in `applicant` or `onboarding`, on the program's entry tier, with its checklist."""
    if status not in (PartnerStatus.APPLICANT, PartnerStatus.ONBOARDING):
        raise InvalidInput(_("A new partner starts as an applicant or in onboarding."), fields={"status": [status]})
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner profile fields: {sorted(unknown)}")
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A partner needs a name."), fields={"name": [_("This field is required.")]})
    domain = normalise_domain(website)
    _refuse_duplicate_domain(domain)
    now = timezone.now()
    partner = Partner.objects.create(
        name=name,
        website=website,
        domain=domain,
        program=program,
        tier=entry_tier(program),
        status=status,
        status_changed_at=now,
        channel_manager=channel_manager,
        joined_at=now,
        **profile,
    )
    PartnerStatusChange.objects.create(partner=partner, from_status="", to_status=status, actor=actor)
    onboarding_checklist_create(partner=partner)
    audit_record(action="partner.create", actor=actor, obj=partner, changes={"status": [None, status]})
    return partner


@transaction.atomic
def partner_transition(*, partner: Partner, actor, to_status: str, reason: str = "") -> Partner:
    """Move `partner` along its lifecycle; refuses (409) a move its current status does not allow."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not can_transition(partner.status, to_status):
        raise StateConflict(
            _("A partner cannot go from %(from)s to %(to)s.")
            % {"from": partner.get_status_display(), "to": PartnerStatus(to_status).label},
            current_state=partner.status,
        )
    if to_status in (PartnerStatus.SUSPENDED, PartnerStatus.OFFBOARDED) and not (reason or "").strip():
        raise InvalidInput(_("Give a reason."), fields={"reason": [_("This field is required.")]})
    before = partner.status
    now = timezone.now()
    partner.status = to_status
    partner.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if to_status == PartnerStatus.ACTIVE and partner.onboarded_at is None:
        partner.onboarded_at = now
        fields.append("onboarded_at")
    partner.save(update_fields=fields)
    PartnerStatusChange.objects.create(
        partner=partner, from_status=before, to_status=to_status, actor=actor, reason=reason.strip()
    )
    audit_record(
        action="partner.transition", actor=actor, obj=partner, changes={"status": [before, to_status]}, context={}
    )
    return partner


def _validate_profile(partner: Partner, fields) -> None:
    """Choices, lengths and the ISO country code of the changed profile fields; refuses with per-field messages."""
    partner.country = (partner.country or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        partner.clean_fields(exclude=[f.name for f in Partner._meta.fields if f.name not in fields])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if "country" in fields and partner.country and not is_country(partner.country):
        errors["country"] = [_("Enter an ISO 3166 country code such as NL or US.")]
    if errors:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=errors)


@transaction.atomic
def partner_update_profile(*, partner: Partner, actor, website: str | None = None, name: str | None = None, **profile):
    """Change profile fields (not status, program or tier, which have their own services)."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner profile fields: {sorted(unknown)}")
    tracked = ["name", "website", "domain", *profile]
    before = audit_snapshot(partner, tracked)
    if name is not None:
        if not name.strip():
            raise InvalidInput(_("A partner needs a name."), fields={"name": [_("This field is required.")]})
        partner.name = name.strip()
    if website is not None:
        partner.website = website
        partner.domain = normalise_domain(website)
        _refuse_duplicate_domain(partner.domain, exclude_pk=partner.pk)
    for field, value in profile.items():
        setattr(partner, field, value)
    _validate_profile(partner, ["name", "website", *profile])
    partner.save()
    changes = audit_diff(before, audit_snapshot(partner, tracked))
    if changes:
        audit_record(action="partner.update_profile", actor=actor, obj=partner, changes=changes)
    onboarding_profile_check(partner=partner, actor=actor)
    return partner
