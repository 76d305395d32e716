"""The daily MDF lifecycle, per tenant: allocations at the period start (tier benefit, co-op accrual), lapse of
approved requests not claimed in time, expiry of what partners left unused (it returns to the fund for
reallocation) and reminders before an allocation expires or a claim is due. Every step is idempotent: a rerun
the same day changes and sends nothing."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.services.tiers import tenant_today
from prm.audit.services import audit_record
from prm.errors import StateConflict
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant

from ..models import Allocation, Fund, MdfReminder, MdfRequest, MdfRequestStatus
from ..rules import reminder_due
from ..selectors import allocation_balances, fund_managers, partner_admins, request_recipients
from ..selectors.lifecycle import (
    OVER_BUDGET_ACTION,
    allocations_to_expire,
    claims_due,
    funds_expiring,
    funds_in_period,
    over_budget_told,
    requests_lapsing,
)
from .coop import allocations_coop
from .funds import allocations_by_tier

# --- Period start ---------------------------------------------------------------------------------


@dataclass
class PeriodStartResult:
    allocated: dict[int, int] = field(default_factory=dict)  # fund id: allocations made
    over_budget: list[int] = field(default_factory=list)  # fund ids


@transaction.atomic
def _fund_start(fund: Fund) -> int:
    """Both routes or neither: a co-op accrual that does not fit takes back the tier allocations too."""
    return len(allocations_by_tier(fund=fund)) + len(allocations_coop(fund=fund))


@transaction.atomic
def _over_budget_tell(fund: Fund, refused: StateConflict, *, today: datetime.date) -> None:
    fund = Fund.objects.select_for_update().get(pk=fund.pk)  # two runs the same day tell once
    if over_budget_told(fund=fund, day=today):
        return
    audit_record(action=OVER_BUDGET_ACTION, obj=fund, context={"day": today.isoformat(), "message": refused.message})
    notify(
        users=fund_managers(),
        title=_("MDF fund over budget: %(fund)s") % {"fund": fund.name},
        body=_(
            "The tier benefits and co-op accruals due at the period start would pass the fund's budget of "
            "%(budget)s %(currency)s, so none were made. Raise the budget or lower other allocations; the next daily "
            "run tries again."
        )
        % {"budget": fund.budget, "currency": fund.currency},
        url=reverse("mdf:fund-detail", args=[fund.pk]),
        email=True,
    )


def funds_period_start(*, today: datetime.date | None = None) -> PeriodStartResult:
    """For every fund whose period has started and not ended: the tier benefits (when it allocates by tier) and
    the co-op accruals (when it has a percentage). A fund whose new allocations do not fit its budget gets none
    and the vendor's managers are told (once per fund and day); the other funds carry on."""
    today = today or tenant_today()
    result = PeriodStartResult()
    with translation.override(current_tenant().default_language):
        for fund in funds_in_period(today=today):
            try:
                result.allocated[fund.pk] = _fund_start(fund)
            except StateConflict as refused:
                _over_budget_tell(fund, refused, today=today)
                result.over_budget.append(fund.pk)
    return result


# --- Expiry ---------------------------------------------------------------------------------------


@dataclass
class ExpiryResult:
    lapsed: list[int] = field(default_factory=list)  # request ids
    expired: dict[int, Decimal] = field(default_factory=dict)  # allocation id: amount expired now


@transaction.atomic
def mdf_expiry_sweep(*, today: datetime.date | None = None) -> ExpiryResult:
    """The daily expiry: approved requests not claimed in time lapse (releasing what they held), then what is left
    on the allocations of expired funds expires. A rerun the same day changes nothing."""
    today = today or tenant_today()
    return ExpiryResult(lapsed=requests_lapse(today=today), expired=allocations_expire(today=today))


@transaction.atomic
def requests_lapse(*, today: datetime.date | None = None) -> list[int]:
    """Approved requests whose claim was due before `today` and was not submitted lapse: their approved amount
    goes back to the allocation (a lapsed request holds nothing) and the requester and the partner's admins are
    told. Returns the ids of the requests that lapsed now."""
    today = today or tenant_today()
    requests = list(
        requests_lapsing(today=today).select_for_update(of=("self",)).select_related("allocation__fund", "partner")
    )
    if not requests:
        return []
    MdfRequest.objects.filter(pk__in=[request.pk for request in requests]).update(
        status=MdfRequestStatus.LAPSED, updated_at=timezone.now()
    )
    recipients = request_recipients(requests)
    with translation.override(current_tenant().default_language):
        for request in requests:
            audit_record(
                action="mdf.request_lapse",
                obj=request,
                changes={"status": [request.status, MdfRequestStatus.LAPSED]},
                context={"claim_due": request.claim_due.isoformat(), "released": str(request.approved_amount)},
            )
            values = {
                "title": request.title,
                "code": request.campaign_code,
                "amount": request.approved_amount,
                "currency": request.allocation.fund.currency,
                "date": request.claim_due.isoformat(),
            }
            notify(
                users=recipients[request.pk],
                title=_("MDF request lapsed: %(title)s") % values,
                body=_(
                    "No claim for %(title)s (%(code)s) was submitted by %(date)s, so the %(amount)s %(currency)s set "
                    "aside for it were released."
                )
                % values,
                url=reverse("mdf:request-detail", args=[request.pk]),
                email=True,
            )
    return [request.pk for request in requests]


@transaction.atomic
def allocations_expire(*, today: datetime.date | None = None) -> dict[int, Decimal]:
    """What is still available on the allocations of funds expired on or before `today` expires (adds to
    `expired_amount`; `expired_at` is the first time) and goes back to the fund; the partner's admins are told.
    Approved requests keep what they hold; a hold released later (a rejected claim) expires on the next run.
    Returns {allocation id: amount expired now}; a rerun the same day finds nothing left."""
    today = today or tenant_today()
    allocations = list(allocations_to_expire(today=today).select_for_update(of=("self",)).select_related("fund"))
    balances = allocation_balances(allocations)
    now = timezone.now()
    expired, changed = {}, []
    for allocation in allocations:
        available = balances[allocation.pk].available
        if available <= 0:
            continue
        before = allocation.expired_amount
        allocation.expired_amount += available
        allocation.expired_at = allocation.expired_at or now
        allocation.updated_at = now
        changed.append(allocation)
        expired[allocation.pk] = available
        audit_record(
            action="mdf.allocation_expire",
            obj=allocation,
            changes={"expired_amount": [str(before), str(allocation.expired_amount)]},
            context={"fund": allocation.fund_id, "expires_on": allocation.fund.expires_on.isoformat()},
        )
    Allocation.objects.bulk_update(changed, ["expired_amount", "expired_at", "updated_at"])
    admins = partner_admins(allocation.partner_id for allocation in changed)
    with translation.override(current_tenant().default_language):
        for allocation in changed:
            values = {
                "amount": expired[allocation.pk],
                "currency": allocation.fund.currency,
                "fund": allocation.fund.name,
                "date": allocation.fund.expires_on.isoformat(),
            }
            notify(
                users=admins[allocation.partner_id],
                title=_("MDF expired: %(amount)s %(currency)s of %(fund)s") % values,
                body=_(
                    "%(amount)s %(currency)s of your %(fund)s allocation were not used and expired on %(date)s. "
                    "Requests already approved keep their amounts."
                )
                % values,
                url=reverse("mdf:funds"),
                email=True,
            )
    return expired


# --- Reminders ------------------------------------------------------------------------------------


@dataclass
class RemindersResult:
    allocations: list[tuple[int, int]] = field(default_factory=list)  # (allocation id, days before)
    requests: list[tuple[int, int]] = field(default_factory=list)  # (request id, days before)


def _insert_reminders(kind: str, column: str, due: list[tuple[int, datetime.date, int]]) -> list[tuple[int, int]]:
    """Record the reminders due (subject id, deadline, days before) that were not sent yet, in one statement;
    returns those that are new (subject id, days before). The unique constraints make a rerun a no-op."""
    if not due:
        return []
    ids, deadlines, days = (list(values) for values in zip(*due, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {MdfReminder._meta.db_table} (tenant_id, kind, {column}, deadline, days_before, sent_at)
            SELECT %s, %s, u.subject_id, u.deadline, u.days_before, %s
            FROM unnest(%s::bigint[], %s::date[], %s::smallint[]) AS u(subject_id, deadline, days_before)
            ON CONFLICT DO NOTHING
            RETURNING {column}, days_before
            """,
            [current_tenant().pk, kind, timezone.now(), ids, deadlines, days],
        )
        return sorted(cursor.fetchall())


def _days(days: int) -> str:
    return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}


def _remind_allocations(today: datetime.date) -> list[tuple[int, int]]:
    windows = {}
    for fund in funds_expiring(today=today):
        window = reminder_due((fund.expires_on - today).days, fund.reminder_days)
        if window is not None:
            windows[fund.pk] = (fund, window)
    allocations = list(
        Allocation.objects.filter(fund_id__in=list(windows), amount__gt=F("expired_amount")).order_by("pk")
    )
    balances = allocation_balances(allocations)
    due = [
        (allocation.pk, windows[allocation.fund_id][0].expires_on, windows[allocation.fund_id][1])
        for allocation in allocations
        if balances[allocation.pk].available > 0
    ]
    sent = _insert_reminders(MdfReminder.Kind.ALLOCATION_EXPIRY, "allocation_id", due)
    # One notice per partner and fund, whatever the number of its allocations (tier, by hand, co-op).
    by_partner_fund = defaultdict(Decimal)
    by_id = {allocation.pk: allocation for allocation in allocations}
    for allocation_id, _days_before in sent:
        allocation = by_id[allocation_id]
        by_partner_fund[(allocation.partner_id, allocation.fund_id)] += balances[allocation_id].available
    admins = partner_admins(partner_id for partner_id, _fund_id in by_partner_fund)
    for (partner_id, fund_id), available in by_partner_fund.items():
        fund = windows[fund_id][0]
        values = {
            "amount": available,
            "currency": fund.currency,
            "fund": fund.name,
            "date": fund.expires_on.isoformat(),
            "when": _days((fund.expires_on - today).days),
        }
        notify(
            users=admins[partner_id],
            title=_("MDF expires %(when)s: %(amount)s %(currency)s of %(fund)s") % values,
            body=_(
                "You have %(amount)s %(currency)s of %(fund)s available. What is not requested and approved by "
                "%(date)s expires that day."
            )
            % values,
            url=reverse("mdf:funds"),
            email=True,
        )
    return sent


def _remind_claims(today: datetime.date) -> list[tuple[int, int]]:
    longest = max((max(days, default=0) for days in Fund.objects.values_list("reminder_days", flat=True)), default=0)
    due = []
    for request_id, deadline, reminder_days in claims_due(today=today, within_days=longest):
        window = reminder_due((deadline - today).days, reminder_days)
        if window is not None:
            due.append((request_id, deadline, window))
    sent = _insert_reminders(MdfReminder.Kind.CLAIM_DUE, "request_id", due)
    if not sent:
        return []
    deadlines = {request_id: deadline for request_id, deadline, _window in due}
    requests = MdfRequest.objects.select_related("allocation__fund").in_bulk([request_id for request_id, _d in sent])
    recipients = request_recipients(requests.values())
    for request_id, _days_before in sent:
        request = requests[request_id]
        deadline = deadlines[request_id]
        values = {
            "title": request.title,
            "code": request.campaign_code,
            "amount": request.approved_amount,
            "currency": request.allocation.fund.currency,
            "date": deadline.isoformat(),
            "when": _days((deadline - today).days),
        }
        title = (
            _("Claim your MDF today: %(title)s") % values
            if deadline == today
            else _("Claim your MDF %(when)s: %(title)s") % values
        )
        notify(
            users=recipients[request_id],
            title=title,
            body=_(
                "%(amount)s %(currency)s are approved for %(title)s (%(code)s). Submit your claim with the proof "
                "of performance by %(date)s."
            )
            % values,
            url=reverse("mdf:request-detail", args=[request_id]),
            email=True,
        )
    return sent


@transaction.atomic
def mdf_reminders_send(*, today: datetime.date | None = None) -> RemindersResult:
    """Remind partners at each of the fund's `reminder_days` before a deadline: the partner's admins before an
    allocation with money available expires, the requester and the admins before the claim of an approved
    request is due. Each (subject, deadline, lead time) is sent once (an MdfReminder row); a moved deadline
    (an extended claim) is reminded again. A run that missed days sends only the current lead time's."""
    today = today or tenant_today()
    with translation.override(current_tenant().default_language):
        return RemindersResult(allocations=_remind_allocations(today), requests=_remind_claims(today))
