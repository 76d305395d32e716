"""The protection lifecycle of approved deals: the daily sweep (expiry and 14/7/1-day reminders),
extension requests and decisions within the program's cap, and amendments recorded with history."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.services.tiers import tenant_today
from prm.audit.services import audit_record
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant

from ..models import Deal, DealEvent, DealLine, DealStatus, ExtensionRequest, ProtectionReminder
from ..protection_rules import days_left, extended_until, extensions_left, is_protected, reminder_due
from ..selectors.protection import (
    manager_recipients,
    partner_recipients,
    protection_ending,
    protection_expired,
)
from ..selectors.rules import deal_rules_by_program, deal_rules_for
from .registration import lines_replace

AMENDABLE_FIELDS = ("estimated_value", "expected_close_date", "contact_name", "contact_email", "contact_phone", "notes")
AMENDABLE_STATUSES = (DealStatus.DRAFT, DealStatus.SUBMITTED, DealStatus.APPROVED)
CENT = Decimal("0.01")


def deal_path(deal: Deal) -> str:
    """The deal's page in the portal (CORE's `deals:detail`), or "" where that page is not installed."""
    try:
        return reverse("deals:detail", args=[deal.pk])
    except NoReverseMatch:
        return ""


def _lock(deal: Deal) -> Deal:
    return Deal.objects.select_for_update(of=("self",)).select_related("partner").get(pk=deal.pk)


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- The daily sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    expired: list[int] = field(default_factory=list)
    reminded: list[tuple[int, int]] = field(default_factory=list)  # (deal id, days before)


@transaction.atomic
def deal_protection_sweep(*, today: date) -> SweepResult:
    """For the tenant in context: expire approved deals whose protection ended before `today`, and remind
    the partner 14, 7 and 1 days before it ends. A second run the same day changes and sends nothing: an
    expired deal is no longer approved, and each reminder is a ProtectionReminder row unique per deal,
    protection end and lead time."""
    with translation.override(current_tenant().default_language):
        return SweepResult(expired=_expire(today=today), reminded=_remind(today=today))


def _expire(*, today: date) -> list[int]:
    deals = list(
        protection_expired(today=today).select_for_update(of=("self",)).select_related("partner").order_by("pk")
    )
    if not deals:
        return []
    Deal.objects.filter(pk__in=[deal.pk for deal in deals]).update(status=DealStatus.EXPIRED, updated_at=timezone.now())
    events = []
    for deal in deals:
        reason = _("Protection ended on %(date)s.") % {"date": deal.protected_until.isoformat()}
        events.append(
            DealEvent(
                deal=deal, kind="expired", from_status=DealStatus.APPROVED, to_status=DealStatus.EXPIRED, reason=reason
            )
        )
        audit_record(
            action="deal.expire",
            obj=deal,
            changes={"status": [DealStatus.APPROVED, DealStatus.EXPIRED]},
            context={"protected_until": deal.protected_until.isoformat()},
        )
    DealEvent.objects.bulk_create(events)
    recipients = partner_recipients(deals)
    for deal in deals:
        notify(
            users=recipients[deal.pk],
            title=_("Protection ended: %(customer)s") % {"customer": deal.customer_name},
            body=_(
                "The registration of %(customer)s was protected until %(date)s and has expired. "
                "Register the opportunity again if it is still open."
            )
            % {"customer": deal.customer_name, "date": deal.protected_until.isoformat()},
            url=deal_path(deal),
            email=True,
        )
    return [deal.pk for deal in deals]


def _remind(*, today: date) -> list[tuple[int, int]]:
    due = []
    for deal_id, protected_until in protection_ending(today=today):
        window = reminder_due(days_left=days_left(protected_until=protected_until, today=today))
        if window is not None:
            due.append((deal_id, protected_until, window))
    if not due:
        return []
    # One statement; the unique (tenant, deal, protected_until, days_before) row makes a rerun a no-op.
    deal_ids, ends, windows = (list(column) for column in zip(*due, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ProtectionReminder._meta.db_table} (tenant_id, deal_id, protected_until, days_before, sent_at)
            SELECT %s, u.deal_id, u.protected_until, u.days_before, %s
            FROM unnest(%s::bigint[], %s::date[], %s::smallint[]) AS u(deal_id, protected_until, days_before)
            ON CONFLICT DO NOTHING
            RETURNING deal_id, days_before
            """,
            [current_tenant().pk, timezone.now(), deal_ids, ends, windows],
        )
        sent = sorted(cursor.fetchall())
    if not sent:
        return []
    deals = Deal.objects.select_related("partner").in_bulk([deal_id for deal_id, _days in sent])
    recipients = partner_recipients(deals.values())
    rules_by_program = deal_rules_by_program({deal.partner.program_id for deal in deals.values()})
    for deal_id, _days in sent:
        deal = deals[deal_id]
        _reminder_notify(deal, recipients[deal_id], rules_by_program[deal.partner.program_id], today=today)
    return [(deal_id, days) for deal_id, days in sent]


def _reminder_notify(deal: Deal, users, rules, *, today: date) -> None:
    left = days_left(protected_until=deal.protected_until, today=today)
    if left == 0:
        title = _("Protection of %(customer)s ends today") % {"customer": deal.customer_name}
    else:
        title = ngettext(
            "Protection of %(customer)s ends in %(days)d day",
            "Protection of %(customer)s ends in %(days)d days",
            left,
        ) % {"customer": deal.customer_name, "days": left}
    remaining = extensions_left(used=deal.extensions_used, cap=rules.max_extensions)
    if remaining:
        extension = ngettext(
            "You can ask for %(count)d more extension of %(days)d days on the deal page.",
            "You can ask for %(count)d more extensions of %(days)d days each on the deal page.",
            remaining,
        ) % {"count": remaining, "days": rules.extension_days}
    else:
        extension = _("All extensions allowed for this deal have been used.")
    body = _("Protected until %(date)s.") % {"date": deal.protected_until.isoformat()} + " " + extension
    notify(users=users, title=title, body=body, url=deal_path(deal), email=True)


# --- Extensions -----------------------------------------------------------------------------------


def _required_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(message, fields={"reason": [_("This field is required.")]})
    return reason


def _check_cap(deal: Deal, rules) -> None:
    if deal.extensions_used >= rules.max_extensions:
        raise StateConflict(
            ngettext(
                "This deal has used the %(cap)d extension its program allows.",
                "This deal has used all %(cap)d extensions its program allows.",
                rules.max_extensions,
            )
            % {"cap": rules.max_extensions},
            current_state=deal.status,
        )


@transaction.atomic
def deal_extension_request(*, deal: Deal, actor, reason: str, today: date | None = None) -> ExtensionRequest:
    """A partner user asks to extend the protection of an approved deal that is still protected.

    One request may be pending at a time; none once the program's cap of extensions is used.
    """
    reason = _required_reason(reason, _("Say why the deal needs more time."))
    today = today or tenant_today()
    deal = _lock(deal)
    if deal.status != DealStatus.APPROVED:
        raise StateConflict(_("Only approved deals are protected and can be extended."), current_state=deal.status)
    if not is_protected(protected_until=deal.protected_until, today=today):
        raise StateConflict(_("The protection of this deal has already ended."), current_state=deal.status)
    _check_cap(deal, deal_rules_for(deal.partner.program_id))
    if ExtensionRequest.objects.filter(deal=deal, status=ExtensionRequest.Status.PENDING).exists():
        raise Duplicate(_("An extension request for this deal is already waiting for a decision."))
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(deal=deal, requested_by=actor, reason=reason)
    except IntegrityError:
        raise Duplicate(_("An extension request for this deal is already waiting for a decision.")) from None
    DealEvent.objects.create(deal=deal, kind="extension_requested", reason=reason, actor=actor)
    audit_record(action="deal.extension_request", actor=actor, obj=request, context={"deal": deal.pk})
    notify(
        users=manager_recipients(deal.partner),
        title=_("Extension requested: %(customer)s") % {"customer": deal.customer_name},
        body=_("%(partner)s asks to extend the protection ending %(date)s: %(reason)s")
        % {"partner": deal.partner.name, "date": deal.protected_until.isoformat(), "reason": reason},
        url=deal_path(deal),
        email=True,
    )
    return request


def _lock_pending(deal: Deal) -> ExtensionRequest:
    pending = ExtensionRequest.objects.select_for_update().filter(deal=deal, status=ExtensionRequest.Status.PENDING)
    request = pending.first()
    if request is None:
        raise StateConflict(_("There is no extension request waiting for a decision."), current_state=deal.status)
    return request


def _decide(request: ExtensionRequest, *, status: str, actor, reason: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


@transaction.atomic
def deal_extension_approve(*, deal: Deal, actor, note: str = "") -> ExtensionRequest:
    """A manager approves the pending request: protection runs `extension_days` longer from its current
    end, and the deal has used one more of its extensions (never more than the program allows)."""
    deal = _lock(deal)
    request = _lock_pending(deal)
    if deal.status != DealStatus.APPROVED:
        raise StateConflict(_("Only approved deals are protected and can be extended."), current_state=deal.status)
    rules = deal_rules_for(deal.partner.program_id)
    _check_cap(deal, rules)
    before, used_before = deal.protected_until, deal.extensions_used
    deal.protected_until = extended_until(protected_until=before, extension_days=rules.extension_days)
    deal.extensions_used = used_before + 1
    deal.save(update_fields=["protected_until", "extensions_used", "updated_at"])
    note = (note or "").strip()
    _decide(request, status=ExtensionRequest.Status.APPROVED, actor=actor, reason=note)
    changes = {
        "protected_until": [before.isoformat(), deal.protected_until.isoformat()],
        "extensions_used": [used_before, deal.extensions_used],
    }
    DealEvent.objects.create(deal=deal, kind="extended", reason=note, changes=changes, actor=actor)
    audit_record(
        action="deal.extension_approve", actor=actor, obj=deal, changes=changes, context={"request": request.pk}
    )
    notify(
        users=partner_recipients([deal])[deal.pk],
        title=_("Protection extended: %(customer)s") % {"customer": deal.customer_name},
        body=_("The deal is now protected until %(date)s.") % {"date": deal.protected_until.isoformat()},
        url=deal_path(deal),
        email=True,
    )
    return request


@transaction.atomic
def deal_extension_reject(*, deal: Deal, actor, reason: str) -> ExtensionRequest:
    """A manager turns down the pending request, saying why; protection keeps its current end."""
    reason = _required_reason(reason, _("Say why the extension is not granted."))
    deal = _lock(deal)
    request = _lock_pending(deal)
    _decide(request, status=ExtensionRequest.Status.REJECTED, actor=actor, reason=reason)
    DealEvent.objects.create(deal=deal, kind="extension_rejected", reason=reason, actor=actor)
    audit_record(action="deal.extension_reject", actor=actor, obj=request, context={"deal": deal.pk})
    notify(
        users=partner_recipients([deal])[deal.pk],
        title=_("Extension not granted: %(customer)s") % {"customer": deal.customer_name},
        body=_("Protection still ends on %(date)s. %(reason)s")
        % {"date": deal.protected_until.isoformat() if deal.protected_until else "-", "reason": reason},
        url=deal_path(deal),
        email=True,
    )
    return request


# --- Amendments -----------------------------------------------------------------------------------


def _lines_snapshot(deal: Deal) -> list[dict]:
    lines = DealLine.objects.filter(deal=deal).select_related("product").order_by("id")
    return [
        {"sku": line.product.sku, "quantity": line.quantity, "unit_list_price": str(line.unit_list_price)}
        for line in lines
    ]


def _assign_fields(deal: Deal, changes: dict) -> None:
    """Set and validate the amended fields only (the rest of the registration is not re-checked)."""
    for name, value in changes.items():
        text_field = name not in ("estimated_value", "expected_close_date")
        setattr(deal, name, "" if value is None and text_field else value)
    excluded = [f.name for f in Deal._meta.fields if f.name not in changes]
    try:
        deal.clean_fields(exclude=excluded)
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=exc.message_dict) from exc
    if "estimated_value" in changes:
        if deal.estimated_value <= 0:
            raise InvalidInput(
                _("Please correct the highlighted fields."),
                fields={"estimated_value": [_("Must be greater than zero.")]},
            )
        deal.estimated_value = deal.estimated_value.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def deal_amend(*, deal: Deal, actor, **changes) -> Deal:
    """Change the value, expected close date, contact, notes or lines of a draft, submitted or approved deal.

    Only what really changes is written, as one DealEvent(kind="amended", changes={field: [before, after]}).
    """
    unknown = set(changes) - {*AMENDABLE_FIELDS, "lines"}
    if unknown:
        raise TypeError(f"Fields that cannot be amended: {sorted(unknown)}")
    if not changes:
        raise InvalidInput(_("Nothing to amend: change at least one field."))
    deal = _lock(deal)
    if deal.status not in AMENDABLE_STATUSES:
        raise StateConflict(
            _("This deal is %(status)s and can no longer be amended.") % {"status": deal.get_status_display().lower()},
            current_state=deal.status,
        )
    fields = {name: value for name, value in changes.items() if name != "lines"}
    before = {name: getattr(deal, name) for name in fields}
    _assign_fields(deal, fields)
    diff = {
        name: [_json(before[name]), _json(getattr(deal, name))]
        for name in fields
        if before[name] != getattr(deal, name)
    }
    if "lines" in changes:
        lines_before = _lines_snapshot(deal)
        lines_replace(deal=deal, lines=changes["lines"])
        lines_after = _lines_snapshot(deal)
        if lines_before != lines_after:
            diff["lines"] = [lines_before, lines_after]
    if not diff:
        return deal
    changed_fields = [name for name in diff if name != "lines"]
    if changed_fields:
        deal.save(update_fields=[*changed_fields, "updated_at"])
    else:
        deal.save(update_fields=["updated_at"])
    DealEvent.objects.create(deal=deal, kind="amended", changes=diff, actor=actor)
    audit_record(action="deal.amend", actor=actor, obj=deal, changes=diff)
    return deal
