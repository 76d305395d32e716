"""Pure MDF arithmetic (no ORM): how much of a fund is given out, what a tier benefit is worth per period."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")

# A tier's MDF benefit is stated per quarter; a fund of a longer period gives that many quarters' worth.
QUARTERS_PER_SCHEME = {"quarter": 1, "half": 2, "year": 4}


def tier_allocation(per_quarter: Decimal, scheme: str) -> Decimal:
    return per_quarter * QUARTERS_PER_SCHEME[scheme]


def outstanding(amount: Decimal, expired_amount: Decimal) -> Decimal:
    """What an allocation still holds of its fund: the expired part went back to the fund."""
    return amount - expired_amount


def fits_budget(budget: Decimal, allocated_elsewhere: Decimal, amount: Decimal) -> bool:
    """Whether giving `amount` keeps the fund's allocations within its budget."""
    return allocated_elsewhere + amount <= budget


CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def request_cap(planned_cost: Decimal, reimbursement_pct: Decimal | None, available: Decimal) -> Decimal:
    """The most a partner may ask for an activity: its tier's reimbursement share of the planned cost (the whole
    cost without a tier), and never more than the allocation has available. Half-up to the cent."""
    share = planned_cost if reimbursement_pct is None else planned_cost * reimbursement_pct / HUNDRED
    return min(share.quantize(CENT, rounding=ROUND_HALF_UP), max(available, Decimal(0)))


@dataclass(frozen=True)
class Balance:
    """Where an allocation's money is. `requested` is pre-approved and not yet claimed (the part of an
    approved request its claim under review does not cover), `claimed` is under review, `approved` is owed and
    `paid` was paid; a rejected claim or request holds nothing."""

    allocated: Decimal
    expired: Decimal = ZERO
    requested: Decimal = ZERO
    claimed: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def committed(self) -> Decimal:
        return self.requested + self.claimed + self.approved + self.paid

    @property
    def available(self) -> Decimal:
        return self.allocated - self.expired - self.committed

    def __add__(self, other: "Balance") -> "Balance":
        return Balance(**{name: getattr(self, name) + getattr(other, name) for name in BALANCE_PARTS})


BALANCE_PARTS = ("allocated", "expired", "requested", "claimed", "approved", "paid")


def claim_cap(actual_cost: Decimal, reimbursement_pct: Decimal | None, approved_amount: Decimal) -> Decimal:
    """The most a claim may ask back: the tier's share of what the activity really cost (all of it without a
    tier), and never more than the request's approved amount."""
    return request_cap(actual_cost, reimbursement_pct, approved_amount)


MONTHS_PER_SCHEME = {"quarter": 3, "half": 6, "year": 12}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` earlier (that month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def previous_period(scheme: str, starts_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before a fund's period (first and last day, both included)."""
    return _months_before(starts_on, MONTHS_PER_SCHEME[scheme]), starts_on - datetime.timedelta(days=1)


def coop_amount(revenue: Decimal, pct: Decimal) -> Decimal:
    """A partner's co-op accrual: `pct` % of its net revenue (nothing when credit notes outweigh sales), half-up
    to the cent."""
    return (max(revenue, ZERO) * pct / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def reminder_due(days_left: int, reminder_days) -> int | None:
    """The reminder (one of `reminder_days` before a deadline) that covers `days_left`, or None.

    Each lead time covers the days down to the next shorter one (15 → 6 to 15 days left, 5 → 2 to 5, 1 → 0 or
    1), so a daily run that missed days sends only the reminder of the current window, not every one it
    missed."""
    if days_left < 0:
        return None
    covering = [days for days in reminder_days if days >= days_left]
    return min(covering) if covering else None


def roi(revenue: Decimal, spend: Decimal) -> Decimal | None:
    """Return on MDF: revenue won per unit of MDF spent, half-up to two places; None when nothing was spent."""
    if spend == 0:
        return None
    return (revenue / spend).quantize(CENT, rounding=ROUND_HALF_UP)


def cost_per_lead(spend: Decimal, leads: int) -> Decimal | None:
    """MDF spent per lead generated, half-up to the cent; None without leads."""
    if leads == 0:
        return None
    return (spend / leads).quantize(CENT, rounding=ROUND_HALF_UP)


def claim_due(activity_ends_on: datetime.date, claim_window_days: int) -> datetime.date:
    """The last day to claim an approved request: the activity's end plus the fund's claim window (a claim keeps
    its own `due_on`, which a manager may extend)."""
    return activity_ends_on + datetime.timedelta(days=claim_window_days)


def review_overdue(status: str, review_due_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Whether a request or claim waits for review past its deadline (the fund's SLA, set on submit)."""
    return status == "submitted" and review_due_at is not None and review_due_at < now
