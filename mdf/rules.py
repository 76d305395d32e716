"""Pure MDF arithmetic (no ORM): how much of a fund is given out, what a tier benefit is worth per period."""

from decimal import ROUND_HALF_UP, Decimal

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


def available(allocated: Decimal, expired: Decimal, committed: Decimal) -> Decimal:
    """What an allocation can still fund: what it was given, less what expired and what approved requests hold."""
    return allocated - expired - committed
