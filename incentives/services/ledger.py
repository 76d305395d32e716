"""Writes of the ledger outside runs: manual adjustments, clawbacks, and payouts (prepare, approve, pay,
cancel) with their CSV export.

Lines are never edited: an adjustment or a clawback is a new line. A line's payout status is not a column:
a line without a payout item is pending; one in a payout takes the payout's state (see
`incentives.selectors.ledger`). A clawback is dated today in the open period and stays pending, so it nets
off the recipient's next payout even when the line it reverses was already paid.
"""

import csv
import io
import uuid
import zlib
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Partner, PartnerUser
from partners.services.tiers import tenant_today
from prm.accounts.models import Membership
from prm.accounts.roles import VENDOR_ROLES, Role
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant

from ..models import EntryType, IncentiveProgram, LedgerEntry, Payout, PayoutItem, ProgramPeriod, Unit
from ..periods import parse_period, period_containing

CENT = Decimal("0.01")
# Lines a clawback may reverse: what a program or a manager credited.
REVERSIBLE_TYPES = (EntryType.EARNING, EntryType.TRUE_UP, EntryType.ADJUSTMENT)


# --- shared checks -----------------------------------------------------------------------------------
def _amount(value, *, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidInput(_("Enter a number."), fields={field: [_("Enter a number.")]}) from error
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise InvalidInput(_("Use at most two decimals."), fields={field: [_("Use at most two decimals.")]})
    return amount


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason."), fields={"reason": [_("A reason is required.")]})
    return reason


def _period_key(program: IncentiveProgram | None, period: str, day: date) -> str:
    """The period a line is filed under: the given key, else the period containing `day` (the program's
    scheme, or a quarter for lines outside any program)."""
    if period:
        try:
            return parse_period(period, program.period_scheme if program else None).key
        except ValueError as error:
            raise InvalidInput(str(error), fields={"period": [str(error)]}) from error
    return period_containing(day, program.period_scheme if program else "quarter").key


def _refuse_closed(program: IncentiveProgram | None, period_key: str) -> None:
    if program is None:
        return
    closed = ProgramPeriod.objects.filter(program=program, key=period_key, status=ProgramPeriod.Status.CLOSED)
    if closed.exists():
        raise StateConflict(
            _("%(period)s of %(program)s is closed; nothing can be posted into it.")
            % {"period": period_key, "program": program.name},
            current_state="closed",
        )


def _recipient_fields(recipient) -> dict:
    if isinstance(recipient, Partner):
        return {"recipient_partner": recipient, "recipient_user": None}
    if isinstance(recipient, get_user_model()):
        return {"recipient_partner": None, "recipient_user": recipient}
    raise InvalidInput(_("Choose a partner or a person."), fields={"recipient": [_("Choose a partner or a person.")]})


def _may_earn_on(user, partner: Partner) -> bool:
    """A person earns on a partner's lines as one of its users, or as the vendor's staff (a channel
    manager's share)."""
    if PartnerUser.objects.filter(partner=partner, membership__user=user, membership__is_active=True).exists():
        return True
    return Membership.objects.filter(user=user, role__in=VENDOR_ROLES, is_active=True).exists()


def _post_once(key: str, **fields) -> tuple[LedgerEntry, bool]:
    """The line of `key`, inserted unless it exists: (line, whether it was posted now). The unique key settles a
    concurrent post of the same line."""
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(idempotency_key=key, **fields), True
    except IntegrityError:
        return LedgerEntry.objects.get(idempotency_key=key), False


# --- adjustments -------------------------------------------------------------------------------------
@transaction.atomic
def ledger_adjust(
    *,
    actor,
    recipient,
    partner: Partner,
    unit: str,
    currency: str,
    amount,
    reason: str,
    program: IncentiveProgram | None = None,
    period: str = "",
    idempotency_key: str | None = None,
) -> LedgerEntry:
    """A manual adjustment line (positive credits, negative debits). Posting the same `idempotency_key`
    again returns the first line and posts nothing."""
    reason = _reason(reason)
    amount = _amount(amount)
    if amount == 0:
        raise InvalidInput(_("An adjustment cannot be zero."), fields={"amount": [_("Must not be zero.")]})
    if unit not in Unit.values:
        raise InvalidInput(_("Choose money or points."), fields={"unit": [_("Choose money or points.")]})
    currency = (currency or "").strip().upper() if unit == Unit.MONEY else ""
    if unit == Unit.MONEY and len(currency) != 3:
        raise InvalidInput(_("Money needs a currency."), fields={"currency": [_("Give an ISO 4217 code.")]})
    if unit == Unit.POINTS and amount != amount.to_integral_value():
        raise InvalidInput(_("Points are whole numbers."), fields={"amount": [_("Points are whole numbers.")]})
    fields = _recipient_fields(recipient)
    if fields["recipient_partner"] is not None and fields["recipient_partner"].pk != partner.pk:
        raise InvalidInput(
            _("A partner's line belongs to that partner."), fields={"partner": [_("Not the recipient.")]}
        )
    if fields["recipient_user"] is not None and not _may_earn_on(fields["recipient_user"], partner):
        message = _("The person is neither a user of %(partner)s nor the vendor's staff.") % {"partner": partner.name}
        raise InvalidInput(message, fields={"recipient": [message]})
    key = f"adjust:{(idempotency_key or '').strip() or uuid.uuid4().hex}"[:200]
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    today = tenant_today()
    period_key = _period_key(program, period, today)
    _refuse_closed(program, period_key)
    entry, created = _post_once(
        key,
        program=program,
        period=period_key,
        partner=partner,
        unit=unit,
        currency=currency,
        amount=amount,
        entry_type=EntryType.ADJUSTMENT,
        source="adjustment",
        explanation={"reason": reason, "period": period_key},
        reason=reason,
        occurred_on=today,
        created_by=actor,
        **fields,
    )
    if not created:
        return entry
    audit_record(
        action="incentives.ledger_adjust",
        actor=actor,
        obj=entry,
        context={"amount": str(amount), "unit": unit, "currency": currency, "reason": reason},
    )
    return entry


# --- reimbursements ----------------------------------------------------------------------------------
@transaction.atomic
def reimbursement_post(
    *, actor, partner: Partner, currency: str, amount, source: str, idempotency_key: str, explanation: dict
) -> LedgerEntry:
    """A reimbursement owed to a partner company (an approved MDF claim). It is paid like any other line:
    prepared into a payout, approved, marked paid. Posting the same `idempotency_key` again returns the first
    line and posts nothing."""
    amount = _amount(amount)
    if amount <= 0:
        raise InvalidInput(_("A reimbursement must be more than 0."), fields={"amount": [_("Must be more than 0.")]})
    today = tenant_today()
    entry, created = _post_once(
        f"reimburse:{idempotency_key}"[:200],
        period=_period_key(None, "", today),
        partner=partner,
        recipient_partner=partner,
        unit=Unit.MONEY,
        currency=currency,
        amount=amount,
        entry_type=EntryType.REIMBURSEMENT,
        source=source,
        explanation=explanation,
        occurred_on=today,
        created_by=actor,
    )
    if not created:
        return entry
    audit_record(
        action="incentives.reimbursement_post",
        actor=actor,
        obj=entry,
        context={"amount": str(amount), "currency": currency, "source": source},
    )
    return entry


# --- clawbacks ---------------------------------------------------------------------------------------
def _unreversed(entry: LedgerEntry) -> Decimal:
    reversed_total = LedgerEntry.objects.filter(reverses=entry, entry_type=EntryType.CLAWBACK).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    return entry.amount + reversed_total


def _post_clawback(*, actor, entry: LedgerEntry, amount: Decimal, reason: str, remaining: Decimal) -> LedgerEntry:
    today = tenant_today()
    program = entry.program
    period_key = period_containing(today, program.period_scheme if program else "quarter").key
    _refuse_closed(program, period_key)
    count = LedgerEntry.objects.filter(reverses=entry, entry_type=EntryType.CLAWBACK).count()
    clawback = LedgerEntry.objects.create(
        program=program,
        rule_version=entry.rule_version,
        period=period_key,
        partner=entry.partner,
        recipient_partner=entry.recipient_partner,
        recipient_user=entry.recipient_user,
        unit=entry.unit,
        currency=entry.currency,
        amount=-amount,
        entry_type=EntryType.CLAWBACK,
        source=f"entry:{entry.pk}",
        explanation={
            "reverses": entry.pk,
            "reversed_source": entry.source,
            "reversed_period": entry.period,
            "reversed_amount": str(entry.amount),
            "remaining_after": str(remaining - amount),
            "reason": reason,
        },
        reason=reason,
        reverses=entry,
        idempotency_key=f"clawback:{entry.pk}:{count + 1}",
        occurred_on=today,
        created_by=actor,
    )
    audit_record(
        action="incentives.ledger_clawback",
        actor=actor,
        obj=clawback,
        context={"reverses": entry.pk, "amount": str(amount), "reason": reason},
    )
    return clawback


def _locked(entry: LedgerEntry) -> LedgerEntry:
    # A row lock (not an update: the ledger refuses those) serialises clawbacks of one line.
    return LedgerEntry.objects.select_for_update(of=("self",)).select_related("program").get(pk=entry.pk)


@transaction.atomic
def ledger_clawback(*, actor, entry: LedgerEntry, reason: str, amount=None) -> LedgerEntry:
    """Reverse `entry` (all that remains of it, or `amount` of it) with a clawback line. A line already
    fully reversed answers 409."""
    reason = _reason(reason)
    entry = _locked(entry)
    if entry.entry_type not in REVERSIBLE_TYPES or entry.amount <= 0:
        raise StateConflict(_("Only credited lines can be clawed back."), current_state=entry.entry_type)
    remaining = _unreversed(entry)
    if remaining <= 0:
        raise StateConflict(_("This line was already clawed back in full."), current_state="reversed")
    amount = remaining if amount in (None, "") else abs(_amount(amount))
    if amount == 0 or amount > remaining:
        message = _("Claw back more than 0 and at most %(remaining)s.") % {"remaining": remaining}
        raise InvalidInput(message, fields={"amount": [message]})
    return _post_clawback(actor=actor, entry=entry, amount=amount, reason=reason, remaining=remaining)


@transaction.atomic
def sale_clawback(*, actor, sale, reason: str) -> list[LedgerEntry]:
    """Reverse every money line a sale earned (its own lines and the channel managers' shares of them),
    e.g. after a refund. Per (program, recipient, source) the net still credited is reversed, oldest
    line first. Nothing left to reverse answers 409."""
    reason = _reason(reason)
    sources = [f"sale:{sale.pk}", f"cam:sale:{sale.pk}"]
    lines = list(
        LedgerEntry.objects.select_for_update(of=("self",))
        .select_related("program")
        .filter(source__in=sources, unit=Unit.MONEY)
        .order_by("created_at", "pk")
    )
    ids = [line.pk for line in lines]
    reversed_by_entry = dict(
        LedgerEntry.objects.filter(reverses_id__in=ids, entry_type=EntryType.CLAWBACK)
        .order_by()
        .values_list("reverses_id")
        .annotate(total=Sum("amount"))
    )
    net: dict[tuple, Decimal] = {}
    for line in lines:
        group = (line.program_id, line.recipient_partner_id, line.recipient_user_id, line.source)
        net[group] = net.get(group, Decimal(0)) + line.amount + reversed_by_entry.get(line.pk, Decimal(0))
    clawbacks = []
    for line in lines:
        group = (line.program_id, line.recipient_partner_id, line.recipient_user_id, line.source)
        if line.entry_type not in REVERSIBLE_TYPES or line.amount <= 0 or net[group] <= 0:
            continue
        remaining = line.amount + reversed_by_entry.get(line.pk, Decimal(0))
        amount = min(remaining, net[group])
        if amount <= 0:
            continue
        clawbacks.append(_post_clawback(actor=actor, entry=line, amount=amount, reason=reason, remaining=remaining))
        net[group] -= amount
    if not clawbacks:
        raise StateConflict(_("Nothing this sale earned is left to claw back."), current_state="reversed")
    return clawbacks


# --- payouts -----------------------------------------------------------------------------------------
def _recipient_ids(recipients) -> tuple[list[int], list[int]]:
    partner_ids, user_ids = [], []
    for recipient in recipients:
        fields = _recipient_fields(recipient)
        if fields["recipient_partner"] is not None:
            partner_ids.append(fields["recipient_partner"].pk)
        else:
            user_ids.append(fields["recipient_user"].pk)
    return partner_ids, user_ids


# What a payout may be prepared from (`payouts_prepare(lines=…)`): vendors often pay MDF reimbursements from
# another budget than incentives, so each can be paid on its own. A reimbursement is never clawed back, so
# neither part has lines that net off the other's.
PAYOUT_LINES = {
    "all": None,
    "incentives": tuple(kind for kind in EntryType.values if kind != EntryType.REIMBURSEMENT),
    "reimbursements": (EntryType.REIMBURSEMENT,),
}
PAYOUT_LINE_CHOICES = [
    ("all", gettext_lazy("All lines")),
    ("incentives", gettext_lazy("Incentives only (no MDF reimbursements)")),
    ("reimbursements", gettext_lazy("MDF reimbursements only")),
]


@transaction.atomic
def payouts_prepare(
    *, actor, currency: str, recipients=None, up_to: date | None = None, lines: str = "all"
) -> list[Payout]:
    """Group the pending money lines of `currency` (occurred up to `up_to`; of `recipients` only, when
    given; of the kinds `lines` names in PAYOUT_LINES) per recipient into proposed payouts, where the net is
    above zero. One statement for all recipients; a line lands in one payout at most (a unique constraint),
    so preparing again adds only lines that arrived since."""
    currency = (currency or "").strip().upper()
    if len(currency) != 3:
        raise InvalidInput(_("Choose a currency."), fields={"currency": [_("Give an ISO 4217 code.")]})
    if lines not in PAYOUT_LINES:
        message = _("Choose all lines, incentives only or MDF reimbursements only.")
        raise InvalidInput(message, fields={"lines": [message]})
    tenant_id = current_tenant().pk
    lock = zlib.crc32(f"incentives:payouts:{tenant_id}:{currency}".encode()) - 2**31
    filters, params = "", []
    if up_to is not None:
        filters += " AND e.occurred_on <= %s"
        params.append(up_to)
    if recipients is not None:
        partner_ids, user_ids = _recipient_ids(recipients)
        filters += " AND (e.recipient_partner_id = ANY(%s) OR e.recipient_user_id = ANY(%s))"
        params += [partner_ids, user_ids]
    if PAYOUT_LINES[lines] is not None:
        filters += " AND e.entry_type = ANY(%s)"
        params.append(list(PAYOUT_LINES[lines]))
    entries, items, payouts = LedgerEntry._meta.db_table, PayoutItem._meta.db_table, Payout._meta.db_table
    sql = f"""
        WITH lines AS (
            SELECT e.id, e.recipient_partner_id, e.recipient_user_id, e.amount
            FROM {entries} e
            WHERE e.tenant_id = %s AND e.unit = 'money' AND e.currency = %s{filters}
              AND NOT EXISTS (SELECT 1 FROM {items} i WHERE i.tenant_id = e.tenant_id AND i.entry_id = e.id)
        ),
        totals AS (
            SELECT recipient_partner_id, recipient_user_id, SUM(amount) AS amount
            FROM lines GROUP BY recipient_partner_id, recipient_user_id HAVING SUM(amount) > 0
        ),
        created AS (
            INSERT INTO {payouts} (tenant_id, recipient_partner_id, recipient_user_id, currency, amount, status,
                                   prepared_by_id, prepared_at, external_reference, note)
            SELECT %s, recipient_partner_id, recipient_user_id, %s, amount, 'proposed', %s, NOW(), '', ''
            FROM totals
            RETURNING id, recipient_partner_id, recipient_user_id
        ),
        linked AS (
            INSERT INTO {items} (tenant_id, payout_id, entry_id)
            SELECT %s, c.id, l.id FROM created c JOIN lines l
              -- COALESCE keeps the join hashable (IS NOT DISTINCT FROM would force a nested loop).
              ON COALESCE(l.recipient_partner_id, 0) = COALESCE(c.recipient_partner_id, 0)
             AND COALESCE(l.recipient_user_id, 0) = COALESCE(c.recipient_user_id, 0)
            RETURNING payout_id
        )
        SELECT DISTINCT payout_id FROM linked
    """
    with connection.cursor() as cursor:
        # Two prepares of one currency at once would each see the other's lines as pending: take turns.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7302, lock])
        cursor.execute(sql, [tenant_id, currency, *params, tenant_id, currency, getattr(actor, "pk", None), tenant_id])
        ids = [row[0] for row in cursor.fetchall()]
    prepared = list(Payout.objects.filter(pk__in=ids).order_by("pk"))
    for payout in prepared:
        audit_record(
            action="incentives.payout_prepare",
            actor=actor,
            obj=payout,
            context={"amount": str(payout.amount), "currency": payout.currency, "lines": lines},
        )
    return prepared


def _locked_payout(payout: Payout) -> Payout:
    return Payout.objects.select_for_update().get(pk=payout.pk)


def _require(payout: Payout, status: str, message: str) -> None:
    if payout.status != status:
        raise StateConflict(message % {"status": payout.get_status_display()}, current_state=payout.status)


@transaction.atomic
def payout_approve(*, actor, payout: Payout) -> Payout:
    payout = _locked_payout(payout)
    _require(payout, Payout.Status.PROPOSED, _("Only a proposed payout can be approved; this one is %(status)s."))
    payout.status, payout.approved_by, payout.approved_at = Payout.Status.APPROVED, actor, timezone.now()
    payout.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(action="incentives.payout_approve", actor=actor, obj=payout, context={"amount": str(payout.amount)})
    return payout


@transaction.atomic
def payouts_approve(*, actor, payouts) -> list[Payout]:
    """Approve a batch: all of it, or (when one is not proposed) none of it."""
    return [payout_approve(actor=actor, payout=payout) for payout in sorted(payouts, key=lambda p: p.pk)]


def payout_recipient_users(payout: Payout) -> list:
    """Who hears about a payout: the person, or the partner's active partner admins."""
    if payout.recipient_user_id:
        return [payout.recipient_user]
    return list(
        get_user_model()
        .objects.filter(
            memberships__partner_links__partner_id=payout.recipient_partner_id,
            memberships__role=Role.PARTNER_ADMIN,
            memberships__is_active=True,
            memberships__tenant=current_tenant(),
        )
        .order_by("pk")
        .distinct()
    )


def _payout_page(payout: Payout) -> str:
    """Where the recipient reads about it: the Incentives page, or the Payouts page for vendor staff
    (a channel manager's share)."""
    if (
        payout.recipient_user_id
        and Membership.objects.filter(user_id=payout.recipient_user_id, role__in=VENDOR_ROLES, is_active=True).exists()
    ):
        return reverse("incentives:payouts")
    return reverse("incentives:earnings")


_after_paid_hooks = []


def register_after_payout_paid(hook) -> None:
    """Call `hook(payout=payout)` in the transaction that marks a payout paid (MDF marks its claims paid)."""
    _after_paid_hooks.append(hook)


@transaction.atomic
def payout_mark_paid(*, actor, payout: Payout, external_reference: str, paid_on: date | None = None) -> Payout:
    """An approved payout was paid: record the payment reference (required) and tell the recipient."""
    reference = (external_reference or "").strip()
    if not reference:
        message = _("Give the payment reference.")
        raise InvalidInput(message, fields={"external_reference": [message]})
    if len(reference) > 120:
        message = _("At most 120 characters.")
        raise InvalidInput(message, fields={"external_reference": [message]})
    payout = _locked_payout(payout)
    _require(payout, Payout.Status.APPROVED, _("Only an approved payout can be marked paid; this one is %(status)s."))
    if paid_on is not None and paid_on > tenant_today():
        message = _("The payment date cannot be in the future.")
        raise InvalidInput(message, fields={"paid_on": [message]})
    paid_at = (
        timezone.now() if paid_on is None else timezone.make_aware(datetime.combine(paid_on, time(12)))  # midday
    )
    payout.status, payout.paid_by, payout.paid_at = Payout.Status.PAID, actor, paid_at
    payout.external_reference = reference
    payout.save(update_fields=["status", "paid_by", "paid_at", "external_reference"])
    for hook in _after_paid_hooks:
        hook(payout=payout)
    audit_record(
        action="incentives.payout_mark_paid",
        actor=actor,
        obj=payout,
        context={"amount": str(payout.amount), "reference": reference},
    )
    notify(
        users=payout_recipient_users(payout),
        title=_("Payout of %(amount)s %(currency)s paid") % {"amount": payout.amount, "currency": payout.currency},
        body=_("Payment reference: %(reference)s.") % {"reference": reference},
        url=_payout_page(payout),
        email=True,
    )
    return payout


@transaction.atomic
def payout_cancel(*, actor, payout: Payout) -> Payout:
    """Drop a proposed payout: its lines are pending again (for the next prepare)."""
    payout = _locked_payout(payout)
    _require(payout, Payout.Status.PROPOSED, _("Only a proposed payout can be cancelled; this one is %(status)s."))
    PayoutItem.objects.filter(payout=payout).delete()
    payout.status = Payout.Status.CANCELLED
    payout.save(update_fields=["status"])
    audit_record(action="incentives.payout_cancel", actor=actor, obj=payout, context={"amount": str(payout.amount)})
    return payout


# --- export ------------------------------------------------------------------------------------------
CSV_COLUMNS = (
    "payout",
    "recipient",
    "recipient_type",
    "partner",
    "currency",
    "amount",
    "status",
    "reference",
    "prepared_at",
    "approved_at",
    "paid_at",
)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def payouts_csv(payouts) -> str:
    """The payouts as CSV, one row each (pass `payout_list()` rows: they carry the recipient's partner)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for payout in payouts:
        if payout.recipient_partner_id:
            recipient, kind = payout.recipient_partner.name, "partner"
            partner = payout.recipient_partner.name
        else:
            recipient, kind = payout.recipient_user.email, "person"
            partner = getattr(payout, "partner_name", "") or ""
        writer.writerow(
            [
                payout.pk,
                _cell(recipient),
                kind,
                _cell(partner),
                payout.currency,
                f"{payout.amount:.2f}",
                payout.status,
                _cell(payout.external_reference),
                _when(payout.prepared_at),
                _when(payout.approved_at),
                _when(payout.paid_at),
            ]
        )
    return out.getvalue()


__all__ = [
    "ledger_adjust",
    "ledger_clawback",
    "payout_approve",
    "payout_cancel",
    "payout_mark_paid",
    "payout_recipient_users",
    "payouts_approve",
    "payouts_csv",
    "payouts_prepare",
    "sale_clawback",
]
