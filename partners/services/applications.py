"""Recruitment: public applications (spam guard, duplicate flags) and the manager's decisions."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prm.accounts.roles import Role
from prm.audit.services import audit_record
from prm.errors import DomainError, InvalidInput, StateConflict
from prm.tenancy.context import current_tenant
from prm.tenancy.selectors import tenant_portal_url

from ..application_rules import APPROVE, REJECT, REQUEST_INFO, can_decide, clean_answers, program_questions
from ..countries import is_country, normalise_country
from ..models import Partner, PartnerApplication, PartnerStatus, Program
from ..profile import PartnerType, Region, Vertical, normalise_domain
from ..selectors.applications import program_public_default
from .lifecycle import partner_create
from .people import partner_user_invite

# Per vendor and client IP: enough for a person correcting a mistake, too few for a spam run.
APPLICATIONS_PER_WINDOW = 5
RATE_WINDOW_SECONDS = 60 * 60
MESSAGE_MAX_LENGTH = 4000
REVENUE_MAX = Decimal("999999999999.99")  # NUMERIC(14, 2)

Status = PartnerApplication.Status


class TooManyApplications(DomainError):
    """The per-vendor, per-IP submission limit was reached (HTTP 429)."""

    code = "throttled"
    status = 429


def _rate_key(ip: str) -> str:
    return f"partners:applications:{current_tenant().pk}:{ip}"


def _refuse_if_rate_limited(ip: str | None) -> None:
    if ip and (cache.get(_rate_key(ip)) or 0) >= APPLICATIONS_PER_WINDOW:
        raise TooManyApplications(
            _("Too many applications from your network. Please try again in an hour."),
        )


def _count_submission(ip: str | None) -> None:
    if not ip:
        return
    key = _rate_key(ip)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)  # the window starts at the first submission
    cache.incr(key)


def _choice_errors(values, choices, field: str, *, required: bool) -> tuple[list[str], dict]:
    values = list(dict.fromkeys(values or []))
    valid = {value for value, _label in choices}
    unknown = [value for value in values if value not in valid]
    if unknown:
        return values, {field: [_("Unknown choice: %(values)s.") % {"values": ", ".join(map(str, unknown))}]}
    if required and not values:
        return values, {field: [_("Choose at least one.")]}
    return values, {}


def _clean_submission(data: dict, program: Program) -> tuple[dict, dict[str, list[str]]]:
    """The application's fields, cleaned, and every problem found (field → messages)."""
    errors: dict[str, list[str]] = {}
    required = _("This field is required.")
    cleaned = {}
    for field, max_length in (("company_name", 160), ("contact_name", 150)):
        value = (data.get(field) or "").strip()
        if not value:
            errors[field] = [required]
        elif len(value) > max_length:
            errors[field] = [_("Use at most %(max)d characters.") % {"max": max_length}]
        cleaned[field] = value

    website = (data.get("website") or "").strip()
    if website and "://" not in website:
        website = f"https://{website}"
    try:
        URLValidator(schemes=["http", "https"])(website)
    except ValidationError:
        errors["website"] = [_("Enter the company's website, e.g. https://example.com.")]
    cleaned["website"], cleaned["domain"] = website, normalise_domain(website)
    if len(website) > 200:
        errors["website"] = [_("Use at most %(max)d characters.") % {"max": 200}]

    email = (data.get("contact_email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["contact_email"] = [_("Enter a valid email address.")]
    cleaned["contact_email"] = email

    country = normalise_country(data.get("country"))
    if not is_country(country):
        errors["country"] = [_("Enter a two-letter ISO 3166 country code, e.g. NL.")]
    cleaned["country"] = country

    for field, choices, needed in (
        ("types", PartnerType.choices, True),
        ("regions", Region.choices, True),
        ("verticals", Vertical.choices, False),
    ):
        cleaned[field], problem = _choice_errors(data.get(field), choices, field, required=needed)
        errors.update(problem)

    revenue = data.get("expected_annual_revenue")
    try:
        revenue = Decimal(str(revenue).strip())
        if not revenue.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["expected_annual_revenue"] = [_("Enter an amount, e.g. 250000.")]
    else:
        if revenue < 0:
            errors["expected_annual_revenue"] = [_("The amount cannot be negative.")]
        elif revenue > REVENUE_MAX or revenue != revenue.quantize(Decimal("0.01")):
            errors["expected_annual_revenue"] = [_("Enter at most 12 digits and 2 decimals.")]
        cleaned["expected_annual_revenue"] = revenue

    cleaned["answers"], answer_errors = clean_answers(
        program_questions(program.application_questions), data.get("answers")
    )
    errors.update(answer_errors)
    return cleaned, errors


def _open_program(program: Program | None) -> Program:
    if program is None:
        program = program_public_default()
        if program is None:
            raise InvalidInput(
                _("This portal is not accepting applications at the moment."),
                fields={"program": [_("No program is open for applications.")]},
            )
    if not program.is_public:
        raise InvalidInput(
            _("This program is not open for applications."), fields={"program": [_("Choose an open program.")]}
        )
    return program


@transaction.atomic
def application_submit(
    *,
    company_name: str,
    website: str,
    contact_name: str,
    contact_email: str,
    country: str,
    types: list[str],
    expected_annual_revenue,
    regions: list[str] = (),
    verticals: list[str] = (),
    answers: dict | None = None,
    program: Program | None = None,
    client_ip: str | None = None,
) -> PartnerApplication:
    """Store a "Become a partner" application (to the first public program when none is named) and
    acknowledge it by email. At most APPLICATIONS_PER_WINDOW per vendor and client IP an hour
    (else TooManyApplications, 429). A domain already used by a partner or an earlier application
    is flagged on the application, not refused."""
    _refuse_if_rate_limited(client_ip)
    program = _open_program(program)
    data = {
        "company_name": company_name,
        "website": website,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "country": country,
        "types": types,
        "regions": regions,
        "verticals": verticals,
        "expected_annual_revenue": expected_annual_revenue,
        "answers": answers,
    }
    cleaned, errors = _clean_submission(data, program)
    if errors:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=errors)
    domain = cleaned["domain"]
    application = PartnerApplication.objects.create(
        program=program,
        submitted_from_ip=client_ip,
        duplicate_of_partner=Partner.objects.filter(domain=domain).order_by("pk").first(),
        duplicate_of_application=PartnerApplication.objects.filter(domain=domain).order_by("created_at", "pk").first(),
        **cleaned,
    )
    _count_submission(client_ip)
    audit_record(
        action="partner_application.submit",
        obj=application,
        context={
            "program": program.slug,
            "duplicate_of_partner": application.duplicate_of_partner_id,
            "duplicate_of_application": application.duplicate_of_application_id,
        },
    )
    _email_on_commit(application, "received")
    return application


def application_spam_trapped(*, client_ip: str | None) -> None:
    """A bot filled the form's honeypot: it counts against the client's limit; nothing is stored or sent."""
    _count_submission(client_ip)


def _locked(application: PartnerApplication, action: str) -> PartnerApplication:
    locked = PartnerApplication.objects.select_for_update().select_related("program").get(pk=application.pk)
    if not can_decide(action, locked.status):
        raise StateConflict(
            _("This application is already %(status)s.") % {"status": locked.get_status_display().lower()},
            current_state=locked.status,
        )
    return locked


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("This field is required."), fields={field: [_("This field is required.")]})
    if len(value) > MESSAGE_MAX_LENGTH:
        message = _("Use at most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}
        raise InvalidInput(message, fields={field: [message]})
    return value


@transaction.atomic
def application_approve(*, application: PartnerApplication, actor) -> PartnerApplication:
    """Create the partner (in onboarding, on the program's entry tier, with its checklist) from the
    application and invite the contact as its partner admin. A domain another partner already uses
    refuses the approval (Duplicate, 409) and creates nothing."""
    application = _locked(application, APPROVE)
    partner = partner_create(
        actor=actor,
        name=application.company_name,
        program=application.program,
        website=application.website,
        status=PartnerStatus.ONBOARDING,
        channel_manager=actor,
        country=application.country,
        types=application.types,
        regions=application.regions,
        verticals=application.verticals,
    )
    partner_user_invite(
        partner=partner,
        actor=actor,
        email=application.contact_email,
        role=Role.PARTNER_ADMIN,
        full_name=application.contact_name,
    )
    before = application.status
    application.status = Status.APPROVED
    application.partner = partner
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "partner", "decided_by", "decided_at", "updated_at"])
    audit_record(
        action="partner_application.approve",
        actor=actor,
        obj=application,
        changes={"status": [before, Status.APPROVED]},
        context={"partner": partner.pk},
    )
    _email_on_commit(application, "approved")
    return application


@transaction.atomic
def application_reject(*, application: PartnerApplication, actor, reason: str) -> PartnerApplication:
    """Turn the application down; the applicant is emailed the reason."""
    reason = _required_text(reason, "reason")
    application = _locked(application, REJECT)
    before = application.status
    application.status = Status.REJECTED
    application.decision_reason = reason
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(
        action="partner_application.reject",
        actor=actor,
        obj=application,
        changes={"status": [before, Status.REJECTED]},
        context={"reason": reason},
    )
    _email_on_commit(application, "rejected", note=reason)
    return application


@transaction.atomic
def application_request_info(*, application: PartnerApplication, actor, message: str) -> PartnerApplication:
    """Ask the applicant for more information (emailed); the application stays open for a decision."""
    message = _required_text(message, "message")
    application = _locked(application, REQUEST_INFO)
    before = application.status
    application.status = Status.INFO_REQUESTED
    application.info_request = message
    application.save(update_fields=["status", "info_request", "updated_at"])
    audit_record(
        action="partner_application.request_info",
        actor=actor,
        obj=application,
        changes={"status": [before, Status.INFO_REQUESTED]},
        context={"message": message},
    )
    _email_on_commit(application, "info_requested", note=message, reply_to_user=actor)
    return application


# --- Emails to the applicant ---------------------------------------------------------------
EMAIL_KINDS = ("received", "approved", "rejected", "info_requested")


def _email_on_commit(application: PartnerApplication, kind: str, *, note: str = "", reply_to_user=None) -> None:
    from ..tasks.applications import application_email_send_task

    # The note (reason, question) travels with the task: a later decision may overwrite the row's copy.
    application_email_send_task.delay_on_commit(
        tenant_id=application.tenant_id,
        application_id=application.pk,
        kind=kind,
        note=note,
        reply_to_user_id=getattr(reply_to_user, "pk", None),
    )


def application_email_send(
    *, application: PartnerApplication, kind: str, note: str = "", reply_to_email: str = ""
) -> None:
    """Email the applicant about `kind` (received, approved, rejected with the reason, info_requested
    with the question in `note`), in the vendor's default language. Replies go to `reply_to_email`
    (the manager who asked for information), else to the vendor's support address when it has one."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"Unknown application email {kind!r}.")
    tenant = application.tenant
    context = {
        "tenant": tenant,
        "application": application,
        "program": application.program,
        "note": note,
        "login_url": tenant_portal_url(tenant=tenant, path=reverse("account_login")),
    }
    with translation.override(tenant.default_language):
        subject = render_to_string(f"partners/email/application_{kind}_subject.txt", context).strip()
        body = render_to_string(f"partners/email/application_{kind}_message.txt", context)
    reply_to = [address for address in (reply_to_email or tenant.support_email,) if address] or None
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [application.contact_email], reply_to=reply_to).send()
