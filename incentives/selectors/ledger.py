"""Reads of the ledger: line status (derived from payouts), balances, who sees which lines, statements
whose lines explain themselves and link to their sources, payouts, and a partner's live accrual."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerUser
from partners.permissions import request_partner
from prm.accounts.models import Membership
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from ..models import AwardTo, EntryType, IncentiveProgram, LedgerEntry, Payout, PayoutItem, ProgramKind
from ..periods import Period, parse_period
from ..rules import NextBand, bands_from, reached_band, rebate_compute, rebate_marginal_value, rebate_next_band
from .programs import eligible_partners, program_period_for, rule_version_for

STATUSES = ("pending", "approved", "paid")
NEXT_STEP = Decimal(1000)


# --- lines and their status ----------------------------------------------------------------------------
def with_entry_status(entries: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    """`status` per line: pending (in no payout, or in one not approved yet), approved, paid."""
    payout_status = Subquery(PayoutItem.objects.filter(entry=OuterRef("pk")).values("payout__status")[:1])
    return entries.annotate(
        payout_status=payout_status,
        status=Case(
            When(payout_status=Payout.Status.APPROVED, then=Value("approved")),
            When(payout_status=Payout.Status.PAID, then=Value("paid")),
            default=Value("pending"),
            output_field=CharField(),
        ),
    )


def entry_list() -> QuerySet[LedgerEntry]:
    """Lines with what a list shows (program, rule version, recipient, partner) and their status."""
    return with_entry_status(
        LedgerEntry.objects.select_related(
            "program", "rule_version", "partner", "recipient_partner", "recipient_user", "reverses"
        )
    ).order_by("-occurred_on", "-id")


def _company_user_ids(partner: Partner):
    return PartnerUser.objects.filter(partner=partner).values("membership__user_id")


def earnings_visible_to(request) -> QuerySet[LedgerEntry]:
    """Vendor staff: every line. A partner admin: the company's lines, its own and its reps' (not the
    vendor's channel manager's share of them). A partner rep: the lines paid to them."""
    entries = entry_list()
    if request_can(request, "incentives.view_all"):
        return entries
    partner = request_partner(request) if request_can(request, "incentives.earn") else None
    if partner is None:
        return entries.none()
    if request_role(request) == Role.PARTNER_ADMIN:
        return entries.filter(partner=partner).filter(
            Q(recipient_partner=partner) | Q(recipient_user_id__in=_company_user_ids(partner))
        )
    return entries.filter(recipient_user=request.user)


def ledger_balances(entries: QuerySet[LedgerEntry]) -> list[dict]:
    """Per recipient, unit and currency: pending, approved and paid totals (one query)."""
    rows = (
        with_entry_status(entries.order_by())
        .values("recipient_partner_id", "recipient_user_id", "unit", "currency")
        .annotate(
            pending=Sum("amount", filter=Q(status="pending"), default=Decimal(0)),
            approved=Sum("amount", filter=Q(status="approved"), default=Decimal(0)),
            paid=Sum("amount", filter=Q(status="paid"), default=Decimal(0)),
            total=Sum("amount"),
        )
        .order_by("recipient_partner_id", "recipient_user_id", "unit", "currency")
    )
    return list(rows)


# --- explanations and links ----------------------------------------------------------------------------
def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _band_floor(entry: LedgerEntry, revenue) -> Decimal | None:
    """The floor of the band `revenue` reached under the line's rule version (None when unknown)."""
    amount = _decimal(revenue)
    params = entry.rule_version.params if entry.rule_version_id else None
    if amount is None or not isinstance(params, dict) or not params.get("bands"):
        return None
    try:
        bands = bands_from(params)
    except (KeyError, TypeError, InvalidOperation):
        return None
    return bands[reached_band(amount, bands)].floor


def explain_entry(entry: LedgerEntry) -> str:
    """One readable sentence from a line's explanation: rule version, band and rate, the inputs, and any
    reason."""
    facts = dict(entry.explanation or {})
    parts = []
    version = entry.rule_version.version if entry.rule_version_id else facts.pop("rule_version", None)
    facts.pop("rule_version", None)
    facts.pop("period", None)
    if entry.entry_type == EntryType.CLAWBACK:
        parts.append(
            _("Reverses line #%(line)s (%(source)s, %(period)s)")
            % {
                "line": facts.pop("reverses", entry.reverses_id),
                "source": facts.pop("reversed_source", "?"),
                "period": facts.pop("reversed_period", "?"),
            }
        )
        facts.pop("reversed_amount", None)
        facts.pop("remaining_after", None)
    elif entry.entry_type == EntryType.ADJUSTMENT:
        parts.append(_("Manual adjustment"))
    elif entry.entry_type == EntryType.REIMBURSEMENT and "claim" in facts:
        parts.append(
            _(
                "MDF claim #%(claim)s, campaign %(code)s (%(activity)s, %(fund)s): claimed %(claimed)s of an "
                "actual cost of %(cost)s, approved %(approved)s"
            )
            % {
                "claim": facts.pop("claim"),
                "code": facts.pop("campaign_code", "?"),
                "activity": facts.pop("activity", "?"),
                "fund": facts.pop("fund", "?"),
                "claimed": facts.pop("claimed", "?"),
                "cost": facts.pop("actual_cost", "?"),
                "approved": facts.pop("approved", "?"),
            }
        )
    if version is not None:
        parts.append(_("rules v%(version)s") % {"version": version})
    revenue = facts.get("revenue")
    if "revenue" in facts:
        parts.append(
            _("revenue %(revenue)s from %(sales)s sales, %(first)s to %(last)s")
            % {
                "revenue": facts.pop("revenue"),
                "sales": facts.pop("sales", "?"),
                "first": facts.pop("first_day", "?"),
                "last": facts.pop("last_day", "?"),
            }
        )
    if "rate" in facts and "mode" not in facts:  # a flat rate (SPIF %, revenue share, bonus %), not a band
        parts.append(_("rate %(rate)s%%") % {"rate": facts.pop("rate")})
    elif "rate" in facts:
        rate, mode = facts.pop("rate"), facts.pop("mode")
        floor = _band_floor(entry, revenue)
        if floor is not None:
            parts.append(_("band from %(floor)s: %(rate)s%% (%(mode)s)") % {"floor": floor, "rate": rate, "mode": mode})
        else:
            parts.append(_("band rate %(rate)s%% (%(mode)s)") % {"rate": rate, "mode": mode})
    if "multiplier" in facts:
        multiplier, tier = facts.pop("multiplier"), facts.pop("tier", None)
        value = _decimal(multiplier)
        if value is not None and value != 1 and tier:
            parts.append(_("× %(multiplier)s tier multiplier (%(tier)s)") % {"multiplier": multiplier, "tier": tier})
        elif value is not None and value != 1:
            parts.append(_("× %(multiplier)s tier multiplier") % {"multiplier": multiplier})
    facts.pop("tier", None)
    if "channel_manager_share_pct" in facts:
        parts.append(
            _("channel manager share %(pct)s%% of %(amount)s")
            % {"pct": facts.pop("channel_manager_share_pct"), "amount": facts.pop("of_amount", "?")}
        )
    if "previously" in facts:
        parts.append(
            _("true-up: previously %(before)s, now %(now)s")
            % {"before": facts.pop("previously"), "now": facts.pop("now", "?")}
        )
    reason = facts.pop("reason", "") or entry.reason
    parts += [f"{key.replace('_', ' ')} {value}" for key, value in sorted(facts.items()) if value not in (None, "")]
    if reason:
        parts.append(_("reason: %(reason)s") % {"reason": reason})
    return "; ".join(str(part) for part in parts)


_SALE = re.compile(r"^(?:cam:)?sale:(\d+)$")
_DEAL = re.compile(r"^(?:cam:)?deal:(\d+)$")
_ENTRY = re.compile(r"^entry:(\d+)$")
_MDF_CLAIM = re.compile(r"^mdf_claim:(\d+)$")


def _period_days(entry: LedgerEntry) -> tuple[str, str] | None:
    facts = entry.explanation or {}
    if facts.get("first_day") and facts.get("last_day"):
        return facts["first_day"], facts["last_day"]
    try:
        period = parse_period(entry.period)
    except ValueError:
        return None
    return period.starts_on.isoformat(), period.ends_on.isoformat()


def _sales_url(*, vendor: bool, **filters) -> str:
    query = {key: value for key, value in filters.items() if key != "partner" or vendor}
    return f"{reverse('deals:sales' if vendor else 'deals:our-sales')}?{urlencode(query)}"


def entries_links(entries: list[LedgerEntry], *, vendor: bool) -> dict[int, list[dict]]:
    """{line id: [{label, url}]}: the sale records, deals, period sales or reversed line each came from
    (one query for all the lines' sale records)."""
    from deals.selectors import sale_record_list

    sale_ids = {int(m[1]) for e in entries if (m := _SALE.match(e.source))}
    sales = {
        row["pk"]: row for row in sale_record_list().filter(pk__in=sale_ids).values("pk", "external_id", "deal_id")
    }
    links: dict[int, list[dict]] = {}
    for entry in entries:
        found = []
        if entry.source.removeprefix("cam:") == "volume" and entry.partner_id:
            days = _period_days(entry)
            if days:
                url = _sales_url(vendor=vendor, partner=entry.partner_id, booked_after=days[0], booked_before=days[1])
                found.append(
                    {"label": _("Sales %(first)s to %(last)s") % {"first": days[0], "last": days[1]}, "url": url}
                )
        elif match := _SALE.match(entry.source):
            sale = sales.get(int(match[1]))
            if sale is not None:
                url = _sales_url(vendor=vendor, external_id=sale["external_id"])
                found.append({"label": _("Sale %(id)s") % {"id": sale["external_id"]}, "url": url})
                if sale["deal_id"]:
                    url = reverse("deals:detail", args=[sale["deal_id"]])
                    found.append({"label": _("Deal #%(id)s") % {"id": sale["deal_id"]}, "url": url})
        elif match := _DEAL.match(entry.source):
            url = reverse("deals:detail", args=[int(match[1])])
            found.append({"label": _("Deal #%(id)s") % {"id": match[1]}, "url": url})
        elif match := _MDF_CLAIM.match(entry.source):
            url = reverse("mdf:claim-detail", args=[int(match[1])])
            found.append({"label": _("MDF claim #%(id)s") % {"id": match[1]}, "url": url})
        elif _ENTRY.match(entry.source) and entry.reverses_id:
            original = entry.reverses
            key = statement_key(original.recipient_partner_id, original.recipient_user_id, original.period)
            url = f"{reverse('incentives:statement', args=[key])}#entry-{original.pk}"
            found.append({"label": _("Line #%(id)s") % {"id": original.pk}, "url": url})
        links[entry.pk] = found
    return links


# --- statements ------------------------------------------------------------------------------------------
_KEY = re.compile(r"^(?P<kind>[pu])(?P<id>\d+)_(?P<period>[0-9A-Za-z-]*)$")


def statement_key(recipient_partner_id, recipient_user_id, period: str) -> str:
    """`p12_2026-Q1` (partner 12) or `u7_2026-Q1` (person 7): a statement's id in URLs."""
    if recipient_partner_id:
        return f"p{recipient_partner_id}_{period}"
    return f"u{recipient_user_id}_{period}"


def statement_filter(key: str) -> Q | None:
    match = _KEY.match(key or "")
    if match is None:
        return None
    recipient = "recipient_partner_id" if match["kind"] == "p" else "recipient_user_id"
    return Q(**{recipient: int(match["id"]), "period": match["period"]})


@dataclass
class Statement:
    key: str
    recipient_partner_id: int | None
    recipient_user_id: int | None
    recipient_name: str
    period: str
    lines: int
    totals: list[dict] = field(default_factory=list)  # per unit and currency: total, pending, approved, paid
    entries: list = field(default_factory=list)  # detail only: lines with .explanation_text and .links


def _recipient_name(row: dict) -> str:
    return row.get("recipient_partner__name") or row.get("recipient_user__email") or ""


def _totals_by_statement(entries: QuerySet[LedgerEntry], statements: list[Statement]) -> None:
    if not statements:
        return
    scope = Q(pk__in=[])
    for statement in statements:
        scope |= statement_filter(statement.key)
    rows = (
        with_entry_status(entries.filter(scope).order_by())
        .values("recipient_partner_id", "recipient_user_id", "period", "unit", "currency")
        .annotate(
            total=Sum("amount"),
            pending=Sum("amount", filter=Q(status="pending"), default=Decimal(0)),
            approved=Sum("amount", filter=Q(status="approved"), default=Decimal(0)),
            paid=Sum("amount", filter=Q(status="paid"), default=Decimal(0)),
        )
        .order_by("unit", "currency")
    )
    by_key = {statement.key: statement for statement in statements}
    for row in rows:
        key = statement_key(row["recipient_partner_id"], row["recipient_user_id"], row["period"])
        by_key[key].totals.append(
            {name: row[name] for name in ("unit", "currency", "total", "pending", "approved", "paid")}
        )


def statement_rows(entries: QuerySet[LedgerEntry]) -> QuerySet:
    """One row per (recipient, period) of `entries`, newest period first (paginate this, then call
    `statements_of(page)`)."""
    return (
        entries.order_by()
        .values(
            "recipient_partner_id",
            "recipient_user_id",
            "recipient_partner__name",
            "recipient_user__email",
            "period",
        )
        .annotate(lines=Count("pk"), last_day=Max("occurred_on"))
        .order_by("-period", "recipient_partner__name", "recipient_user__email", "recipient_user_id")
    )


def statements_of(entries: QuerySet[LedgerEntry], rows) -> list[Statement]:
    """The statements of `rows` (from `statement_rows`) with their totals (one more query)."""
    statements = [
        Statement(
            key=statement_key(row["recipient_partner_id"], row["recipient_user_id"], row["period"]),
            recipient_partner_id=row["recipient_partner_id"],
            recipient_user_id=row["recipient_user_id"],
            recipient_name=_recipient_name(row),
            period=row["period"],
            lines=row["lines"],
        )
        for row in rows
    ]
    _totals_by_statement(entries, statements)
    return statements


def statement_detail(entries: QuerySet[LedgerEntry], key: str, *, vendor: bool) -> Statement | None:
    """One statement of `entries` (None when it holds no visible line): every line with its status, an
    explanation sentence and links to its sources, and the totals."""
    scope = statement_filter(key)
    if scope is None:
        return None
    lines = list(entries.filter(scope).order_by("occurred_on", "pk"))
    if not lines:
        return None
    first = lines[0]
    statement = Statement(
        key=key,
        recipient_partner_id=first.recipient_partner_id,
        recipient_user_id=first.recipient_user_id,
        recipient_name=first.recipient_partner.name if first.recipient_partner_id else first.recipient_user.email,
        period=first.period,
        lines=len(lines),
    )
    links = entries_links(lines, vendor=vendor)
    totals: dict[tuple, dict] = {}
    for line in lines:
        line.explanation_text = explain_entry(line)
        line.links = links[line.pk]
        row = totals.setdefault(
            (line.unit, line.currency),
            {"unit": line.unit, "currency": line.currency, **{n: Decimal(0) for n in ("total", *STATUSES)}},
        )
        row["total"] += line.amount
        row[line.status] += line.amount
    statement.entries = lines
    statement.totals = sorted(totals.values(), key=lambda r: (r["unit"], r["currency"]))
    return statement


# --- payouts ---------------------------------------------------------------------------------------------
def with_payout_facts(payouts: QuerySet[Payout]) -> QuerySet[Payout]:
    """`payouts` with their recipient, the partner of their lines (`partner_name`), `line_count` and
    `time_to_payment` (paid − the earliest line's posting), in the same query."""
    items = PayoutItem.objects.filter(payout=OuterRef("pk")).order_by().values("payout")
    earned_at = Subquery(items.annotate(first=Min("entry__created_at")).values("first")[:1])
    return payouts.select_related("recipient_partner", "recipient_user").annotate(
        partner_name=Subquery(
            PayoutItem.objects.filter(payout=OuterRef("pk")).order_by("pk").values("entry__partner__name")[:1]
        ),
        line_count=Subquery(items.annotate(n=Count("pk")).values("n")[:1]),
        earned_at=earned_at,
        time_to_payment=ExpressionWrapper(F("paid_at") - earned_at, output_field=DurationField()),
    )


def payout_list() -> QuerySet[Payout]:
    """Payouts with their facts (`with_payout_facts`), newest first."""
    return with_payout_facts(Payout.objects.all()).order_by("-prepared_at", "-id")


def payouts_visible_to(request) -> QuerySet[Payout]:
    """Vendor staff: all; a partner admin: the company's and its reps'; a partner rep: their own."""
    payouts = payout_list()
    if request_can(request, "incentives.view_all"):
        return payouts
    partner = request_partner(request) if request_can(request, "incentives.earn") else None
    if partner is None:
        return payouts.none()
    if request_role(request) == Role.PARTNER_ADMIN:
        return payouts.filter(Q(recipient_partner=partner) | Q(recipient_user_id__in=_company_user_ids(partner)))
    return payouts.filter(recipient_user=request.user)


def pending_by_recipient(*, currency: str | None = None) -> list[dict]:
    """Money not in any payout yet, per recipient and currency (what `payouts_prepare` would group)."""
    entries = LedgerEntry.objects.filter(unit="money").exclude(pk__in=PayoutItem.objects.values("entry_id"))
    if currency:
        entries = entries.filter(currency=currency)
    return list(
        entries.order_by()
        .values(
            "recipient_partner_id", "recipient_user_id", "recipient_partner__name", "recipient_user__email", "currency"
        )
        .annotate(amount=Sum("amount"), lines=Count("pk"), first=Min("occurred_on"))
        .order_by("currency", "recipient_partner__name", "recipient_user__email")
    )


# --- live accrual ----------------------------------------------------------------------------------------
@dataclass
class RepProgress:
    user_id: int
    email: str
    earned: Decimal
    cap: Decimal | None

    @property
    def percent(self) -> int | None:
        if not self.cap:
            return None
        return min(100, int(self.earned * 100 / self.cap))


@dataclass
class ProgramAccrual:
    program: IncentiveProgram
    period: Period
    unit: str
    currency: str
    pending: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    # Rebates (partner admins only): this period's eligible revenue so far and what it is worth.
    revenue: Decimal | None = None
    multiplier: Decimal | None = None
    rebate_to_date: Decimal | None = None
    next_band: NextBand | None = None
    next_step_value: Decimal | None = None
    reps: list[RepProgress] = field(default_factory=list)  # SPIFs

    @property
    def earned(self) -> Decimal:
        return self.pending + self.approved + self.paid


def rebate_revenue(program: IncentiveProgram, params: dict, partner: Partner, period: Period, *, today: date):
    """The partner's eligible revenue of the period so far, filtered as the rebate run filters it."""
    from deals.models import SaleRecord

    first = max(period.starts_on, program.starts_on)
    last = min(period.ends_on, program.ends_on or period.ends_on, today)
    sales = SaleRecord.objects.filter(
        partner=partner, booked_on__gte=first, booked_on__lte=last, currency=program.currency
    )
    if params.get("sale_kinds"):
        sales = sales.filter(kind__in=params["sale_kinds"])
    if params.get("product_families"):
        sales = sales.filter(product__family__in=params["product_families"])
    return sales.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _rebate_outlook(accrual: ProgramAccrual, partner: Partner, *, today: date) -> None:
    program = accrual.program
    rule = rule_version_for(program, accrual.period)
    if rule is None:
        return
    params = rule.params
    bands, minimum = bands_from(params), Decimal(params.get("minimum") or 0)
    cap = Decimal(params["cap"]) if params.get("cap") is not None else None
    multiplier = Decimal(1)
    if params.get("use_tier_multiplier", True) and partner.tier_id and partner.tier.rebate_multiplier is not None:
        multiplier = partner.tier.rebate_multiplier
    revenue = rebate_revenue(program, params, partner, accrual.period, today=today)
    options = {"mode": params["mode"], "minimum": minimum, "cap": cap, "multiplier": multiplier}
    accrual.revenue, accrual.multiplier = revenue, multiplier
    accrual.rebate_to_date = rebate_compute(revenue, bands, **options).amount
    accrual.next_band = rebate_next_band(revenue, bands, minimum=minimum)
    accrual.next_step_value = rebate_marginal_value(revenue, bands, step=NEXT_STEP, **options)


def _spif_progress(accrual: ProgramAccrual, entries: QuerySet[LedgerEntry], partner: Partner, rep_user) -> None:
    program = accrual.program
    rule = rule_version_for(program, accrual.period)
    cap_text = (rule.params or {}).get("cap_per_rep") if rule else None
    cap = Decimal(cap_text) if cap_text not in (None, "") else None
    rows = (
        entries.filter(program=program, partner=partner, recipient_user__isnull=False)
        .order_by()
        .values("recipient_user_id", "recipient_user__email")
        .annotate(earned=Sum("amount"))
        .order_by("recipient_user__email")
    )
    reps = [RepProgress(r["recipient_user_id"], r["recipient_user__email"], r["earned"], cap) for r in rows]
    if rep_user is not None and not any(r.user_id == rep_user.pk for r in reps):
        reps.append(RepProgress(rep_user.pk, rep_user.email, Decimal(0), cap))
    accrual.reps = reps


def partner_accrual(*, partner: Partner, entries: QuerySet[LedgerEntry], today: date, rep_user=None):
    """This period's earnings per running program of `partner`, from the lines in `entries` (what the viewer
    may see; a rep sees only the programs that award reps): pending / approved / paid; for rebates the revenue
    so far, the rebate it is worth now, the distance to the next band and what the next 1,000 of revenue adds;
    for SPIFs each rep's program-to-date earnings against the cap per rep (a rep: only their own)."""
    eligible = set(
        IncentiveProgram.objects.filter(status=IncentiveProgram.Status.ACTIVE, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("pk", flat=True)
    )
    running = IncentiveProgram.objects.filter(pk__in=eligible).order_by("kind", "name", "pk")
    if rep_user is not None:  # a rep earns only the individual awards; the company's are the partner admin's
        running = running.exclude(award_to=AwardTo.PARTNER)
    programs = [
        program
        for program in running
        if eligible_partners(program).filter(pk=partner.pk).exists()
        or entries.filter(program=program, partner=partner).exists()
    ]
    accruals = []
    for program in programs:
        period = program_period_for(program, today)
        accrual = ProgramAccrual(
            program=program,
            period=period,
            unit=program.unit,
            currency=program.currency if program.unit == "money" else "",
        )
        rows = (
            with_entry_status(entries.filter(program=program, period=period.key, partner=partner).order_by())
            .values("status")
            .annotate(total=Sum("amount"))
        )
        for row in rows:
            setattr(accrual, row["status"], row["total"])
        if program.kind == ProgramKind.REBATE and rep_user is None:
            _rebate_outlook(accrual, partner, today=today)
        if program.kind == ProgramKind.SPIF:
            _spif_progress(accrual, entries, partner, rep_user)
        accruals.append(accrual)
    return accruals


RECIPIENT_KEY = re.compile(r"^(partner|user):(\d+)$")


def recipients_from_keys(keys) -> list | None:
    """The partners and people named `partner:<id>` / `user:<id>` (people: members of this vendor), in the keys'
    order; None when a key is malformed or names no one here."""
    matches = [RECIPIENT_KEY.match(key or "") for key in keys]
    if not all(matches):
        return None
    partner_ids = {int(m[2]) for m in matches if m[1] == "partner"}
    user_ids = {int(m[2]) for m in matches if m[1] == "user"}
    partners = Partner.objects.in_bulk(partner_ids)
    members = Membership.objects.filter(user_id__in=user_ids).values("user_id")
    users = get_user_model().objects.filter(pk__in=members).in_bulk()
    found = [(partners if m[1] == "partner" else users).get(int(m[2])) for m in matches]
    return None if None in found else found


def payout_entry_ids(payout: Payout):
    """The ids of the ledger lines a payout carries (a subquery)."""
    return PayoutItem.objects.filter(payout=payout).values("entry_id")
