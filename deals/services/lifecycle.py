"""Registration lifecycle: draft edits, submit (conflict check, review deadline, conflict policy), approve,
reject, special pricing, close won (sale records) and close lost. Each transition locks the deal, checks
its status (409 otherwise), writes a DealEvent and an audit record, and tells the people concerned."""

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from partners.services import onboarding_event_record
from partners.services.tiers import tenant_today
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import current_tenant

from ..models import Deal, DealConflict, DealEvent, DealRules, DealStatus, Product, SaleRecord
from ..pricing import CENT, split_largest_remainder
from ..rules import action_allowed, add_business_days
from ..selectors.conflicts import conflict_candidates
from ..selectors.deals import deal_partner_recipients, deal_pricing, deal_vendor_recipients
from ..selectors.rules import deal_rules_for
from ..step_kinds import REGISTER_DEAL
from .notices import deal_tell
from .registration import REGISTRATION_FIELDS, _validated, lines_replace

Policy = DealRules.ConflictPolicy
TEXT_MAX_LENGTH = 4000
AMOUNT_MAX = Decimal("999999999999.99")  # NUMERIC(14, 2)
# Recurring products booked by a won deal: a 12-month subscription, recurring amount per billing period.
TERM_MONTHS = 12
PERIODS_PER_TERM = {Product.Period.MONTH: 12, Product.Period.QUARTER: 4, Product.Period.YEAR: 1}

ACTION_DONE = {
    "update_draft": lambda: pgettext("what cannot be done to a deal", "edited"),
    "submit": lambda: pgettext("what cannot be done to a deal", "submitted"),
    "approve": lambda: pgettext("what cannot be done to a deal", "approved"),
    "reject": lambda: pgettext("what cannot be done to a deal", "rejected"),
    "special_pricing": lambda: pgettext("what cannot be done to a deal", "given special pricing"),
    "close_won": lambda: pgettext("what cannot be done to a deal", "closed as won"),
    "close_lost": lambda: pgettext("what cannot be done to a deal", "closed as lost"),
}


def auto_reject_reason() -> str:
    return _(
        "The customer is a house account of the vendor's direct sales team; under this program's rules "
        "such registrations are rejected."
    )


# --- helpers -----------------------------------------------------------------------------------------
def _locked(deal: Deal, action: str) -> Deal:
    locked = Deal.objects.select_for_update(of=("self",)).select_related("partner").get(pk=deal.pk)
    if not action_allowed(action, locked.status):
        raise StateConflict(
            _("A registration that is %(status)s cannot be %(done)s.")
            % {"status": locked.get_status_display().lower(), "done": ACTION_DONE[action]()},
            current_state=locked.status,
        )
    return locked


def _required_text(value, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Please give a reason."), fields={field: [_("This field is required.")]})
    if len(value) > TEXT_MAX_LENGTH:
        message = _("Use at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}
        raise InvalidInput(message, fields={field: [message]})
    return value


def _decimal(value, field: str, *, low: Decimal, high: Decimal, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise InvalidInput(message, fields={field: [message]}) from None
    if not low <= number <= high or number != number.quantize(CENT):
        raise InvalidInput(message, fields={field: [message]})
    return number


def _vendor_zone():
    return zoneinfo.ZoneInfo(current_tenant().timezone)


def _event(deal: Deal, kind: str, *, actor, from_status: str, reason: str = "", changes=None) -> None:
    DealEvent.objects.create(
        deal=deal,
        kind=kind,
        from_status=from_status,
        to_status=deal.status,
        reason=reason,
        changes=changes or {},
        actor=actor,
    )


def deal_conflicts_refresh(deal: Deal) -> list[DealConflict]:
    """Run the conflict check again and keep only what it finds now (with its evidence)."""
    candidates = conflict_candidates(
        customer_name=deal.customer_name,
        customer_domain=deal.customer_domain,
        exclude_partner_id=deal.partner_id,
        exclude_deal_id=deal.pk,
    )
    DealConflict.objects.filter(deal=deal).delete()
    return DealConflict.objects.bulk_create(
        DealConflict(
            deal=deal,
            other_deal_id=candidate.pk if candidate.kind == "deal" else None,
            house_account_id=candidate.pk if candidate.kind == "house_account" else None,
            matched_on=candidate.matched_on,
            score=candidate.score,
        )
        for candidate in candidates
    )


def _conflict_summary(conflicts: list[DealConflict]) -> dict:
    return {
        "deals": sorted(c.other_deal_id for c in conflicts if c.other_deal_id),
        "house_accounts": sorted(c.house_account_id for c in conflicts if c.house_account_id),
    }


# --- drafts ------------------------------------------------------------------------------------------
@transaction.atomic
def deal_update_draft(*, deal: Deal, actor, lines=None, **fields) -> Deal:
    """Change a draft's registration fields (any subset) and, when `lines` is given, replace its lines."""
    unknown = set(fields) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown deal fields: {sorted(unknown)}")
    deal = _locked(deal, "update_draft")
    before = {name: str(getattr(deal, name)) for name in fields}
    for name, value in fields.items():
        setattr(deal, name, value)
    _validated(deal)
    deal.save()
    after = {name: str(getattr(deal, name)) for name in fields}
    changes = {name: [before[name], after[name]] for name in fields if before[name] != after[name]}
    if lines is not None:
        old = sorted((line.product_id, line.quantity) for line in deal.lines.all())
        new = lines_replace(deal=deal, lines=lines)
        if sorted((line.product_id, line.quantity) for line in new) != old:
            changes["lines"] = [old, sorted((line.product_id, line.quantity) for line in new)]
    if changes:
        _event(deal, "updated", actor=actor, from_status=deal.status, changes=changes)
        audit_record(action="deal.update_draft", actor=actor, obj=deal, changes=changes)
    return deal


# --- submit ------------------------------------------------------------------------------------------
@transaction.atomic
def deal_submit(*, deal: Deal, actor) -> Deal:
    """Send a draft for review: run the conflict check, set the review deadline (the program's review
    time in business days) and apply the program's conflict policy (`auto_reject_house` rejects a
    house-account match at once; the other policies leave the registration submitted and flagged)."""
    deal = _locked(deal, "submit")
    if deal.partner.status not in ("onboarding", "active"):
        raise StateConflict(
            _("Only onboarding or active partners submit registrations."), current_state=deal.partner.status
        )
    rules = deal_rules_for(deal.partner.program_id)
    conflicts = deal_conflicts_refresh(deal)
    now = timezone.now()
    deal.status = DealStatus.SUBMITTED
    deal.submitted_at = now
    deal.review_due_at = add_business_days(timezone.localtime(now, _vendor_zone()), rules.review_sla_business_days)
    deal.save(update_fields=["status", "submitted_at", "review_due_at", "updated_at"])
    summary = _conflict_summary(conflicts)
    _event(deal, "submitted", actor=actor, from_status=DealStatus.DRAFT, changes={"conflicts": summary})
    audit_record(
        action="deal.submit",
        actor=actor,
        obj=deal,
        changes={"status": [DealStatus.DRAFT, DealStatus.SUBMITTED]},
        context={"conflicts": summary, "review_due_at": deal.review_due_at.isoformat()},
    )
    onboarding_event_record(partner=deal.partner, kind=REGISTER_DEAL, actor=actor, note=f"deal {deal.pk}")
    if summary["house_accounts"] and rules.conflict_policy == Policy.AUTO_REJECT_HOUSE:
        return _reject(deal, actor=None, reason=auto_reject_reason(), kind="auto_rejected")
    note = _("It may conflict with another registration or a house account.") if conflicts else ""
    deal_tell(deal=deal, kind="submitted", users=deal_vendor_recipients(deal), actor=actor, note=note)
    return deal


# --- decisions ---------------------------------------------------------------------------------------
@transaction.atomic
def deal_approve(*, deal: Deal, actor, note: str = "") -> Deal:
    """Approve a submitted registration after checking conflicts again: protection starts today for
    the program's protection days. Under `first_approved_wins` another partner's approved registration
    of the same customer refuses it (409); so does a house account under `auto_reject_house`."""
    deal = _locked(deal, "approve")
    note = (note or "").strip()[:TEXT_MAX_LENGTH]
    rules = deal_rules_for(deal.partner.program_id)
    conflicts = deal_conflicts_refresh(deal)
    other_deals = [c.other_deal_id for c in conflicts if c.other_deal_id]
    if rules.conflict_policy == Policy.FIRST_APPROVED_WINS and (
        Deal.objects.filter(pk__in=other_deals, status=DealStatus.APPROVED).exists()
    ):
        raise StateConflict(
            _(
                "Another partner already holds an approved registration for this customer; under this "
                "program's rules the first approved registration wins. Reject this one instead."
            ),
            current_state=deal.status,
        )
    if rules.conflict_policy == Policy.AUTO_REJECT_HOUSE and any(c.house_account_id for c in conflicts):
        raise StateConflict(
            _("The customer is a house account; under this program's rules the registration must be rejected."),
            current_state=deal.status,
        )
    deal.status = DealStatus.APPROVED
    deal.decided_by, deal.decided_at, deal.decision_reason = actor, timezone.now(), note
    deal.protected_until = tenant_today() + datetime.timedelta(days=rules.protection_days)
    deal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "protected_until", "updated_at"])
    summary = _conflict_summary(conflicts)
    _event(
        deal,
        "approved",
        actor=actor,
        from_status=DealStatus.SUBMITTED,
        reason=note,
        changes={"protected_until": deal.protected_until.isoformat(), "conflicts": summary},
    )
    audit_record(
        action="deal.approve",
        actor=actor,
        obj=deal,
        changes={"status": [DealStatus.SUBMITTED, DealStatus.APPROVED]},
        context={"protected_until": deal.protected_until.isoformat(), "conflicts": summary},
    )
    deal_tell(deal=deal, kind="approved", users=deal_partner_recipients(deal), actor=actor)
    return deal


def _reject(deal: Deal, *, actor, reason: str, kind: str = "rejected") -> Deal:
    deal.status = DealStatus.REJECTED
    deal.decided_by, deal.decided_at, deal.decision_reason = actor, timezone.now(), reason
    deal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    _event(deal, kind, actor=actor, from_status=DealStatus.SUBMITTED, reason=reason)
    audit_record(
        action=f"deal.{'auto_reject' if kind == 'auto_rejected' else 'reject'}",
        actor=actor,
        obj=deal,
        changes={"status": [DealStatus.SUBMITTED, DealStatus.REJECTED]},
        context={"reason": reason},
    )
    deal_tell(deal=deal, kind="rejected", users=deal_partner_recipients(deal), actor=actor, note=reason)
    return deal


@transaction.atomic
def deal_reject(*, deal: Deal, actor, reason: str) -> Deal:
    """Turn a submitted registration down; the reason is shown and sent to the partner."""
    reason = _required_text(reason, "reason")
    return _reject(_locked(deal, "reject"), actor=actor, reason=reason)


@transaction.atomic
def deal_special_pricing_set(*, deal: Deal, actor, percent) -> Deal:
    """A manager's extra discount (0–100 %, None or "" removes it), applied on top of the registration
    discount (see deals.pricing); only while the registration is submitted or approved."""
    deal = _locked(deal, "special_pricing")
    if percent is None or str(percent).strip() == "":
        value = None
    else:
        message = _("Enter a percentage between 0 and 100 with at most two decimals.")
        value = _decimal(percent, "percent", low=Decimal(0), high=Decimal(100), message=message)
    before = deal.special_discount_pct
    if before == value:
        return deal
    deal.special_discount_pct = value
    deal.save(update_fields=["special_discount_pct", "updated_at"])
    changes = {"special_discount_pct": [_text(before), _text(value)]}
    _event(deal, "special_pricing", actor=actor, from_status=deal.status, changes=changes)
    audit_record(action="deal.special_pricing", actor=actor, obj=deal, changes=changes)
    if value is None:
        note = _("The special pricing was withdrawn; your registration discount still applies.")
    else:
        note = _("An extra %(pct)s %% discount now applies on top of your registration discount.") % {"pct": value}
    deal_tell(deal=deal, kind="special_pricing", users=deal_partner_recipients(deal), actor=actor, note=note)
    return deal


def _text(value) -> str | None:
    return None if value is None else str(value)


# --- closing -----------------------------------------------------------------------------------------
@transaction.atomic
def deal_close_won(*, deal: Deal, actor, amount, lines=None) -> Deal:
    """Close an approved registration as won for `amount` (the deal's currency). `lines` (optional)
    replace the deal's lines first; at least one line is required. Books one sale record per line:
    the won amount split over the lines in proportion to their net prices (largest remainder, so the
    records add up to the amount exactly), external id `deal-<deal id>-<line id>`."""
    deal = _locked(deal, "close_won")
    message = _("Enter the won amount, greater than zero, with at most two decimals.")
    amount = _decimal(amount, "amount", low=CENT, high=AMOUNT_MAX, message=message)
    if lines is not None:
        lines_replace(deal=deal, lines=lines)
    deal = Deal.objects.select_related("partner__tier").get(pk=deal.pk)
    pricing = deal_pricing(deal)
    if not pricing.lines:
        raise InvalidInput(
            _("Add at least one product line to close the deal as won."),
            fields={"lines": [_("At least one line is required.")]},
        )
    weights = [price.net for _line, price in pricing.lines]
    if not any(weights):
        weights = [price.gross for _line, price in pricing.lines]
    shares = split_largest_remainder(amount, weights)
    deal.status = DealStatus.WON
    deal.closed_at, deal.closed_amount = timezone.now(), amount
    deal.save(update_fields=["status", "closed_at", "closed_amount", "updated_at"])
    records = _sale_records_book(deal, [line for line, _price in pricing.lines], shares)
    _event(
        deal,
        "won",
        actor=actor,
        from_status=DealStatus.APPROVED,
        changes={"amount": str(amount), "sale_records": [record.external_id for record in records]},
    )
    audit_record(
        action="deal.close_won",
        actor=actor,
        obj=deal,
        changes={"status": [DealStatus.APPROVED, DealStatus.WON]},
        context={"amount": str(amount), "currency": deal.currency, "sale_records": len(records)},
    )
    users = [*deal_vendor_recipients(deal), *deal_partner_recipients(deal)]
    deal_tell(deal=deal, kind="won", users=users, actor=actor)
    return deal


def _sale_records_book(deal: Deal, lines, shares) -> list[SaleRecord]:
    """One record per line; a record whose external id exists already is left alone (idempotent)."""
    booked_on = tenant_today()
    records = []
    for line, share in zip(lines, shares, strict=True):
        product = line.product
        recurring = product.billing == Product.Billing.RECURRING
        records.append(
            SaleRecord(
                external_id=f"deal-{deal.pk}-{line.pk}",
                partner_id=deal.partner_id,
                rep_id=deal.registered_by_id,
                deal=deal,
                customer_name=deal.customer_name,
                customer_domain=deal.customer_domain,
                product=product,
                quantity=line.quantity,
                booked_on=booked_on,
                amount=share,
                currency=deal.currency,
                kind=SaleRecord.Kind.NEW if recurring else SaleRecord.Kind.ONE_TIME,
                term_months=TERM_MONTHS if recurring else None,
                recurring_amount=(
                    (share / PERIODS_PER_TERM[product.billing_period]).quantize(CENT, rounding=ROUND_HALF_UP)
                    if recurring
                    else None
                ),
                source=SaleRecord.Source.DEAL,
            )
        )
    SaleRecord.objects.bulk_create(records, ignore_conflicts=True)
    return records


@transaction.atomic
def deal_close_lost(*, deal: Deal, actor, reason: str) -> Deal:
    """Close a submitted or approved registration as lost, with the reason."""
    reason = _required_text(reason, "reason")
    deal = _locked(deal, "close_lost")
    before = deal.status
    deal.status = DealStatus.LOST
    deal.closed_at, deal.lost_reason = timezone.now(), reason
    deal.save(update_fields=["status", "closed_at", "lost_reason", "updated_at"])
    _event(deal, "lost", actor=actor, from_status=before, reason=reason)
    audit_record(
        action="deal.close_lost",
        actor=actor,
        obj=deal,
        changes={"status": [before, DealStatus.LOST]},
        context={"reason": reason},
    )
    users = [*deal_vendor_recipients(deal), *deal_partner_recipients(deal)]
    deal_tell(deal=deal, kind="lost", users=users, actor=actor, note=reason)
    return deal
