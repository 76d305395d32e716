"""The discount stack of a registered deal (pure: plain Decimals in, Decimals out).

Per line: list price × quantity → the tier's product discount → the registration discount (the
program's registration discount + the tier's extra deal-registration discount, at most 100 %) →
manager-approved special pricing, applied on top of what is left (never instead of the registration
discount) → net. Each discount is a percentage of what the previous step left, so the order matters
only for display. One rounding rule: ROUND_HALF_UP to 0.01 at the end of each line; the amount shown for
each step is the difference between the rounded subtotals, so the steps always add up to the net.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(value) -> Decimal:
    value = Decimal(str(value or 0))
    if not ZERO <= value <= HUNDRED:
        raise ValueError(f"A discount must be between 0 and 100 %, not {value}.")
    return value


@dataclass(frozen=True)
class Discounts:
    """The percentages that apply to a deal's lines."""

    tier_pct: Decimal = ZERO
    registration_pct: Decimal = ZERO
    special_pct: Decimal = ZERO

    @classmethod
    def of(cls, *, tier_pct=0, program_registration_pct=0, tier_registration_pct=0, special_pct=0) -> "Discounts":
        """The registration discount is the program's plus the tier's extra, capped at 100 %."""
        registration = min(_percent(program_registration_pct) + _percent(tier_registration_pct), HUNDRED)
        return cls(_percent(tier_pct), registration, _percent(special_pct))


@dataclass(frozen=True)
class LinePrice:
    gross: Decimal  # list price × quantity
    tier_discount: Decimal
    registration_discount: Decimal
    special_discount: Decimal
    net: Decimal


def price_line(*, unit_list_price, quantity: int, discounts: Discounts) -> LinePrice:
    gross = Decimal(str(unit_list_price)) * quantity
    remaining = gross
    subtotals = [_cents(gross)]
    for pct in (discounts.tier_pct, discounts.registration_pct, discounts.special_pct):
        remaining = remaining * (HUNDRED - pct) / HUNDRED
        subtotals.append(_cents(remaining))
    steps = [before - after for before, after in zip(subtotals, subtotals[1:], strict=False)]
    return LinePrice(subtotals[0], *steps, net=subtotals[-1])


@dataclass(frozen=True)
class PriceTotals:
    gross: Decimal
    tier_discount: Decimal
    registration_discount: Decimal
    special_discount: Decimal
    net: Decimal


def price_totals(prices) -> PriceTotals:
    prices = list(prices)
    fields = ("gross", "tier_discount", "registration_discount", "special_discount", "net")
    return PriceTotals(**{name: sum((getattr(price, name) for price in prices), ZERO) for name in fields})


def split_largest_remainder(total, weights) -> list[Decimal]:
    """`total` (two decimals) split in proportion to `weights` into amounts that add up to it exactly.

    Each share is rounded down to the cent; the cents left over go one each to the shares that lost
    the most in rounding (ties: the earlier one). All-zero weights split evenly.
    """
    total = Decimal(str(total))
    weights = [Decimal(str(weight)) for weight in weights]
    if not weights:
        raise ValueError("Nothing to split between.")
    if any(weight < 0 for weight in weights):
        raise ValueError("Weights must not be negative.")
    if not any(weights):
        weights = [Decimal(1)] * len(weights)
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    left = int((total - sum(shares)) / CENT)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[:left]:
        shares[index] += CENT
    return shares
