"""Vendor-passed leads: managers create, import and assign them; the partner accepts or rejects within
the SLA and converts an accepted lead into a deal registration; missed SLAs are passed on."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.countries import is_country, normalise_country
from partners.profile import Capability, Region, Vertical, normalise_domain
from prm.audit.services import audit_record
from prm.errors import InvalidInput, NotAllowed, StateConflict
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant
from prm.tenancy.selectors import tenant_portal_url

from ..models import Deal, DealSource, Lead, LeadAssignment
from ..selectors.leads import (
    ASSIGNABLE_PARTNER_STATUSES,
    lead_is_with_partner_member,
    lead_manager_users,
    lead_match_candidates,
    partner_admin_users,
    partners_that_had,
)
from .registration import deal_register

# How long the partner has to accept or reject an assigned lead before the SLA sweep passes it on.
ACCEPT_SLA = timedelta(hours=48)

LEAD_FIELDS = (
    "company_name",
    "company_domain",
    "contact_name",
    "contact_email",
    "contact_phone",
    "country",
    "region",
    "vertical",
    "capability",
    "need",
    "source_campaign",
    "context_notes",
    "estimated_value",
)
LEAD_CHOICES = {"region": Region, "vertical": Vertical, "capability": Capability}
REASON_MAX_LENGTH = 2000
VALUE_MAX = Decimal("999999999999.99")  # NUMERIC(14, 2)

Outcome = LeadAssignment.Outcome


# --- Create and import ------------------------------------------------------------------------------------------
def _clean_value(raw) -> tuple[Decimal | None, list[str]]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, []
    try:
        value = Decimal(str(raw).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        return None, [_("Enter an amount, e.g. 25000.")]
    if value < 0:
        return None, [_("The amount cannot be negative.")]
    if value > VALUE_MAX or value != value.quantize(Decimal("0.01")):
        return None, [_("Enter at most 12 digits and 2 decimals.")]
    return value, []


def _lead_errors(lead: Lead) -> dict[str, list[str]]:
    """Normalise `lead`'s fields in place and return every problem found (field → messages)."""
    errors: dict[str, list[str]] = {}
    for field in LEAD_FIELDS:
        value = getattr(lead, field)
        if isinstance(value, str):
            setattr(lead, field, value.strip())
    if not lead.company_name:
        errors["company_name"] = [_("This field is required.")]
    lead.company_domain = normalise_domain(lead.company_domain)
    lead.contact_email = (lead.contact_email or "").lower()
    lead.country = normalise_country(lead.country)
    if lead.country and not is_country(lead.country):
        errors["country"] = [_("Enter a two-letter ISO 3166 country code, e.g. NL.")]
    for field, choices in LEAD_CHOICES.items():
        value = getattr(lead, field)
        if value and value not in choices.values:
            errors[field] = [_("Unknown choice: %(value)s.") % {"value": value}]
    lead.estimated_value, value_errors = _clean_value(lead.estimated_value)
    if value_errors:
        errors["estimated_value"] = value_errors
    try:
        lead.full_clean(exclude=[*errors, "partner", "created_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


def _new_lead(actor, fields: dict) -> Lead:
    unknown = set(fields) - set(LEAD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown lead fields: {sorted(unknown)}")
    return Lead(created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)


@transaction.atomic
def lead_create(*, actor, **fields) -> Lead:
    """A new lead (status `new`). Company is required; country is an ISO code; region, vertical and
    capability come from the partner-profile vocabulary; the estimated value is optional."""
    lead = _new_lead(actor, fields)
    errors = _lead_errors(lead)
    if errors:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=errors)
    lead.save()
    audit_record(action="lead.create", actor=actor, obj=lead, context={"source_campaign": lead.source_campaign})
    return lead


MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the CSV file (the header is line 1)
    field: str
    messages: list[str]


class LeadImportRejected(InvalidInput):
    """The file had problems: nothing was imported. `rows` is the report, line by line."""

    def __init__(self, message: str, *, rows: list[RowError]):
        fields: dict[str, list[str]] = {}
        for row in rows:
            fields.setdefault(f"line {row.line}.{row.field}", []).extend(row.messages)
        super().__init__(message, fields=fields)
        self.rows = rows


def _file_problem(message: str) -> InvalidInput:
    return InvalidInput(message, fields={"file": [message]})


def _csv_rows(content) -> list[tuple[int, dict]]:
    """[(line, {column: value})] from CSV bytes or text; raises InvalidInput on an unreadable file."""
    if isinstance(content, bytes):
        if len(content) > MAX_IMPORT_BYTES:
            raise _file_problem(_("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _file_problem(_("The file is not UTF-8 encoded text (save the sheet as CSV UTF-8).")) from None
    if "\x00" in content:
        raise _file_problem(_("The file is not a CSV text file."))
    reader = csv.DictReader(io.StringIO(content))
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
        if "company_name" not in header:
            raise _file_problem(_("The first line must name the columns, including company_name."))
        unknown = sorted(set(header) - set(LEAD_FIELDS))
        if unknown:
            raise _file_problem(
                _("Unknown columns: %(columns)s. Known columns: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(LEAD_FIELDS)}
            )
        reader.fieldnames = header
        rows = []
        for record in reader:
            if len(rows) >= MAX_IMPORT_ROWS:
                raise _file_problem(_("The file has more than %(max)d leads.") % {"max": MAX_IMPORT_ROWS})
            if not any((value or "").strip() for key, value in record.items() if key is not None):
                continue  # a blank line
            rows.append((reader.line_num, record))
    except csv.Error as exc:
        raise _file_problem(_("The file is not valid CSV: %(error)s") % {"error": exc}) from None
    if not rows:
        raise _file_problem(_("The file has no leads."))
    return rows


def leads_check(content, *, actor=None) -> list[Lead]:
    """The leads a CSV holds (bytes or text; columns named after LEAD_FIELDS, company_name required), checked
    and not saved. Any problem raises LeadImportRejected with the row-level report."""
    leads, problems = [], []
    for line, record in _csv_rows(content):
        if None in record:
            problems.append(RowError(line, "row", [_("This line has more values than there are columns.")]))
            continue
        lead = _new_lead(actor, {key: (value or "") for key, value in record.items()})
        for field, messages in _lead_errors(lead).items():
            problems.append(RowError(line, field, messages))
        leads.append(lead)
    if problems:
        raise LeadImportRejected(
            _("Nothing was imported: %(count)d problem(s) in the file.") % {"count": len(problems)}, rows=problems
        )
    return leads


@transaction.atomic
def leads_import(*, actor, content, partner=None, source_campaign: str = "") -> list[Lead]:
    """Import leads from CSV. All or nothing: every row is checked first (leads_check); any problem imports
    nothing. With `partner`, the leads are the partner's own and accepted already (a partner generated them,
    e.g. at an MDF-funded event); `source_campaign` then names the campaign on every lead."""
    leads = leads_check(content, actor=actor)
    if partner is not None:
        now = timezone.now()
        for lead in leads:
            lead.partner, lead.status, lead.assigned_at, lead.accepted_at = partner, Lead.Status.ACCEPTED, now, now
            lead.source_campaign = source_campaign or lead.source_campaign
    created = Lead.objects.bulk_create(leads)
    audit_record(
        action="lead.import",
        actor=actor,
        obj=current_tenant(),
        context={"leads": len(created), "partner": partner.pk if partner else None, "campaign": source_campaign},
    )
    return created


# --- Assignment -------------------------------------------------------------------------------------------------
def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _refuse_unless(lead: Lead, *statuses, message: str) -> None:
    if lead.status not in statuses:
        raise StateConflict(message, current_state=lead.status)


def _open_assignment(lead: Lead) -> LeadAssignment | None:
    return LeadAssignment.objects.select_for_update().filter(lead=lead, outcome=Outcome.OPEN).first()


def _close_assignment(assignment: LeadAssignment | None, outcome: str, *, at: datetime, reason: str = "") -> None:
    if assignment is None:
        return
    assignment.outcome, assignment.decided_at, assignment.reason = outcome, at, reason
    assignment.save(update_fields=["outcome", "decided_at", "reason"])


def _offer(lead: Lead, partner, *, actor, method: str, factors: dict, now: datetime) -> LeadAssignment:
    """Give the (locked) lead to `partner` with a fresh SLA; tell the partner's admins."""
    lead.partner = partner
    lead.status = Lead.Status.ASSIGNED
    lead.assigned_at = now
    lead.accept_due_at = now + ACCEPT_SLA
    lead.accepted_at = None
    lead.first_action_at = None
    lead.save(
        update_fields=[
            "partner",
            "status",
            "assigned_at",
            "accept_due_at",
            "accepted_at",
            "first_action_at",
            "updated_at",
        ]
    )
    assignment = LeadAssignment.objects.create(
        lead=lead,
        partner=partner,
        method=method,
        factors=factors or {},
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="lead.assign",
        actor=actor,
        obj=lead,
        changes={"partner": [None, partner.pk]},
        context={"method": method, "total": (factors or {}).get("total")},
    )
    notify(
        users=partner_admin_users(partner.pk),
        title=_("New lead: %(company)s") % {"company": lead.company_name},
        body=_("Please accept or reject it by %(due)s.")
        % {"due": date_format(timezone.localtime(lead.accept_due_at), "SHORT_DATETIME_FORMAT")},
        url=reverse("deals:lead-detail", args=[lead.pk]),
    )
    from ..tasks.leads import lead_assigned_email_task

    lead_assigned_email_task.delay_on_commit(tenant_id=lead.tenant_id, assignment_id=assignment.pk)
    return assignment


@transaction.atomic
def lead_assign(*, lead: Lead, partner, actor, method: str = LeadAssignment.Method.MANUAL, factors=None) -> Lead:
    """Offer a new (or still unanswered) lead to an onboarding or active partner; an open offer to
    another partner is withdrawn. The partner has ACCEPT_SLA to answer."""
    if partner.status not in ASSIGNABLE_PARTNER_STATUSES:
        message = _("Leads go to onboarding or active partners only.")
        raise InvalidInput(message, fields={"partner": [message]})
    lead = _locked(lead)
    _refuse_unless(
        lead,
        Lead.Status.NEW,
        Lead.Status.ASSIGNED,
        message=_("This lead is %(status)s and cannot be reassigned.") % {"status": lead.get_status_display().lower()},
    )
    if lead.status == Lead.Status.ASSIGNED and lead.partner_id == partner.pk:
        raise StateConflict(
            _("This lead is already with %(partner)s.") % {"partner": partner.name}, current_state=lead.status
        )
    now = timezone.now()
    _close_assignment(_open_assignment(lead), Outcome.WITHDRAWN, at=now)
    _offer(lead, partner, actor=actor, method=method, factors=factors, now=now)
    return lead


@transaction.atomic
def lead_assign_best(*, lead: Lead, actor) -> Lead:
    """Assign the lead to the best-matching active partner that has not had it before; the factor
    breakdown is stored on the assignment. InvalidInput when no partner fits."""
    locked = _locked(lead)
    candidates = lead_match_candidates(lead=locked, exclude_partner_ids=partners_that_had(locked))
    if not candidates:
        message = _("No active partner matches this lead's country, region, vertical or capability.")
        raise InvalidInput(message, fields={"partner": [message]})
    best = candidates[0]
    return lead_assign(
        lead=locked,
        partner=best.partner,
        actor=actor,
        method=LeadAssignment.Method.MATCHED,
        factors=best.score.as_factors(),
    )


# --- The partner's answer ---------------------------------------------------------------------------------------
def _require_partner_member(lead: Lead, actor) -> None:
    if not lead_is_with_partner_member(lead=lead, user=actor):
        raise NotAllowed(_("Only the partner this lead is assigned to can do this."))


def _answerable(lead: Lead, actor, now: datetime) -> Lead:
    lead = _locked(lead)
    _require_partner_member(lead, actor)
    _refuse_unless(
        lead,
        Lead.Status.ASSIGNED,
        message=_("This lead is %(status)s; there is nothing to answer.")
        % {"status": lead.get_status_display().lower()},
    )
    if lead.accept_due_at is not None and lead.accept_due_at <= now:
        raise StateConflict(
            _("The time to answer this lead has run out; it is being passed on."), current_state=lead.status
        )
    return lead


@transaction.atomic
def lead_accept(*, lead: Lead, actor) -> Lead:
    """The assigned partner (admin or rep) takes the lead on within the SLA; time-to-accept is the
    assignment's decided_at minus assigned_at."""
    now = timezone.now()
    lead = _answerable(lead, actor, now)
    assignment = _open_assignment(lead)
    _close_assignment(assignment, Outcome.ACCEPTED, at=now)
    lead.status, lead.accepted_at = Lead.Status.ACCEPTED, now
    lead.save(update_fields=["status", "accepted_at", "updated_at"])
    audit_record(
        action="lead.accept",
        actor=actor,
        obj=lead,
        changes={"status": [Lead.Status.ASSIGNED, Lead.Status.ACCEPTED]},
        context={"seconds_to_accept": int((now - assignment.assigned_at).total_seconds()) if assignment else None},
    )
    notify(
        users=lead_manager_users(lead),
        title=_("%(partner)s accepted the lead %(company)s")
        % {"partner": lead.partner.name, "company": lead.company_name},
        url=reverse("deals:lead-detail", args=[lead.pk]),
    )
    return lead


@transaction.atomic
def lead_reject(*, lead: Lead, actor, reason: str) -> Lead:
    """The assigned partner turns the lead down with a reason; the lead goes back to `new` for a
    manager to reassign, and the managers are told."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why you reject the lead."), fields={"reason": [_("This field is required.")]})
    if len(reason) > REASON_MAX_LENGTH:
        message = _("Use at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        raise InvalidInput(message, fields={"reason": [message]})
    now = timezone.now()
    lead = _answerable(lead, actor, now)
    partner = lead.partner
    _close_assignment(_open_assignment(lead), Outcome.REJECTED, at=now, reason=reason)
    lead.status, lead.partner, lead.assigned_at, lead.accept_due_at = Lead.Status.NEW, None, None, None
    lead.save(update_fields=["status", "partner", "assigned_at", "accept_due_at", "updated_at"])
    audit_record(
        action="lead.reject",
        actor=actor,
        obj=lead,
        changes={"status": [Lead.Status.ASSIGNED, Lead.Status.NEW], "partner": [partner.pk, None]},
        context={"reason": reason},
    )
    notify(
        users=lead_manager_users(lead),
        title=_("%(partner)s rejected the lead %(company)s") % {"partner": partner.name, "company": lead.company_name},
        body=reason,
        url=reverse("deals:lead-detail", args=[lead.pk]),
    )
    return lead


def _first_action(lead: Lead, actor, *, action: str, note: str, now: datetime) -> bool:
    if lead.first_action_at is not None:
        return False
    lead.first_action_at = now
    lead.save(update_fields=["first_action_at", "updated_at"])
    seconds = int((now - lead.accepted_at).total_seconds()) if lead.accepted_at else None
    audit_record(
        action="lead.first_action",
        actor=actor,
        obj=lead,
        context={"action": action, "note": note, "seconds_after_accept": seconds},
    )
    return True


@transaction.atomic
def lead_record_first_action(*, lead: Lead, actor, note: str = "", action: str = "note") -> Lead:
    """Record the partner's first action on an accepted lead (a call, a meeting, a conversion …).
    Only the first one sets first_action_at; later ones change nothing."""
    note = (note or "").strip()
    if len(note) > REASON_MAX_LENGTH:
        message = _("Use at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        raise InvalidInput(message, fields={"note": [message]})
    lead = _locked(lead)
    _require_partner_member(lead, actor)
    _refuse_unless(
        lead,
        Lead.Status.ACCEPTED,
        Lead.Status.CONVERTED,
        message=_("Accept the lead first."),
    )
    _first_action(lead, actor, action=action, note=note, now=timezone.now())
    return lead


def registration_prefill(lead: Lead) -> dict:
    """The registration fields a lead fills in (the partner adds the expected close date)."""
    return {
        "customer_name": lead.company_name,
        "customer_domain": lead.company_domain,
        "country": lead.country,
        "contact_name": lead.contact_name,
        "contact_email": lead.contact_email,
        "contact_phone": lead.contact_phone,
        "estimated_value": lead.estimated_value,
        "currency": current_tenant().currency,
        "notes": lead.need,
    }


@transaction.atomic
def lead_convert(*, lead: Lead, actor, lines=(), **registration_fields) -> Deal:
    """Turn an accepted lead into a draft registration of its partner (source `vendor_lead`, linked to
    the lead), prefilled from the lead; `registration_fields` override the prefill. The deal earns
    the registration discount like any other. Counts as the lead's first action."""
    lead = _locked(lead)
    _require_partner_member(lead, actor)
    _refuse_unless(
        lead,
        Lead.Status.ACCEPTED,
        message=_("Only an accepted lead can become a registration; this one is %(status)s.")
        % {"status": lead.get_status_display().lower()},
    )
    fields = {**registration_prefill(lead), **registration_fields}
    if fields.get("estimated_value") is None:
        raise InvalidInput(
            _("Please correct the highlighted fields."), fields={"estimated_value": [_("Enter an amount.")]}
        )
    deal = deal_register(
        partner=lead.partner, actor=actor, lines=lines, source=DealSource.VENDOR_LEAD, lead=lead, **fields
    )
    now = timezone.now()
    lead.status = Lead.Status.CONVERTED
    lead.save(update_fields=["status", "updated_at"])
    _first_action(lead, actor, action="convert", note="", now=now)
    audit_record(
        action="lead.convert",
        actor=actor,
        obj=lead,
        changes={"status": [Lead.Status.ACCEPTED, Lead.Status.CONVERTED]},
        context={"deal": deal.pk},
    )
    return deal


# --- SLA --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlaSweep:
    expired: int
    reassigned: int
    returned: int


def _expire_one(lead_id: int, now: datetime) -> str | None:
    """Expire one lead's overdue offer and pass it on; None when it is no longer overdue (a rerun)."""
    lead = Lead.objects.select_for_update().filter(pk=lead_id).first()
    if lead is None or lead.status != Lead.Status.ASSIGNED or lead.accept_due_at is None or lead.accept_due_at >= now:
        return None
    missed = lead.partner
    _close_assignment(_open_assignment(lead), Outcome.EXPIRED, at=now)
    lead.sla_flagged_at = now
    lead.save(update_fields=["sla_flagged_at", "updated_at"])
    audit_record(action="lead.sla_missed", obj=lead, context={"partner": missed.pk if missed else None})
    candidates = lead_match_candidates(lead=lead, exclude_partner_ids=partners_that_had(lead))
    if candidates:
        best = candidates[0]
        _offer(
            lead,
            best.partner,
            actor=None,
            method=LeadAssignment.Method.MATCHED,
            factors=best.score.as_factors(),
            now=now,
        )
        return "reassigned"
    lead.status, lead.partner, lead.assigned_at, lead.accept_due_at = Lead.Status.NEW, None, None, None
    lead.save(update_fields=["status", "partner", "assigned_at", "accept_due_at", "updated_at"])
    notify(
        users=lead_manager_users(lead),
        title=_("Lead %(company)s needs a partner") % {"company": lead.company_name},
        body=_("%(partner)s did not answer in time and no other partner matches; please assign it by hand.")
        % {"partner": missed.name if missed else "—"},
        url=reverse("deals:lead-detail", args=[lead.pk]),
    )
    return "returned"


def lead_sla_sweep(*, now: datetime | None = None) -> SlaSweep:
    """Leads assigned but unanswered past accept_due_at: the offer expires, the lead is flagged and goes
    to the next best partner that has not had it, or back to `new` (managers notified) when none fits.

    One transaction per lead, each re-checked under a row lock: a rerun or an overlapping run changes
    nothing that was already handled.
    """
    now = now or timezone.now()
    due = list(
        Lead.objects.filter(status=Lead.Status.ASSIGNED, accept_due_at__lt=now)
        .order_by("accept_due_at", "id")
        .values_list("pk", flat=True)
    )
    outcomes = []
    for lead_id in due:
        with transaction.atomic():
            outcomes.append(_expire_one(lead_id, now))
    reassigned, returned = outcomes.count("reassigned"), outcomes.count("returned")
    return SlaSweep(expired=reassigned + returned, reassigned=reassigned, returned=returned)


# --- Email ------------------------------------------------------------------------------------------------------
def lead_assigned_email_send(*, assignment: LeadAssignment) -> int:
    """Email the partner's admins about a lead offered to it (only while that offer is still open)."""
    if assignment.outcome != Outcome.OPEN:
        return 0
    recipients = [user.email for user in partner_admin_users(assignment.partner_id)]
    if not recipients:
        return 0
    tenant = current_tenant()
    lead = assignment.lead
    context = {
        "tenant": tenant,
        "lead": lead,
        "partner": assignment.partner,
        "url": tenant_portal_url(tenant=tenant, path=reverse("deals:lead-detail", args=[lead.pk])),
    }
    with translation.override(tenant.default_language):
        subject = render_to_string("deals/email/lead_assigned_subject.txt", context).strip()
        body = render_to_string("deals/email/lead_assigned_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
