"""Pure MDF arithmetic (no ORM): how much of a fund is given out, what a tier benefit is worth per period."""

from decimal import Decimal

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
