"""A fund's figures summed over its allocations, for a page of funds in two grouped queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ..models import Allocation, Fund, MdfRequest
from ..rules import ZERO, Balance, outstanding
from .balances import holds


@dataclass(frozen=True)
class FundTotals:
    balance: Balance  # the allocations' balances added up
    # What the fund can still give: its budget less what its allocations hold (None when only one partner's
    # allocations were counted: the budget's use by the others is not that partner's to see).
    available_to_allocate: Decimal | None


def fund_balances(funds: Iterable[Fund], *, partner=None) -> dict[int, Balance]:
    """{fund id: the sum of its allocations' balances} (only `partner`'s allocations when given), in two grouped
    queries whatever the number of partners."""
    ids = [fund.pk for fund in funds]
    allocations = Allocation.objects.filter(fund__in=ids)
    requests = MdfRequest.objects.filter(allocation__fund__in=ids)
    if partner is not None:
        allocations, requests = allocations.filter(partner=partner), requests.filter(allocation__partner=partner)
    given = {
        row.pop("fund_id"): row
        for row in allocations.values("fund_id").annotate(allocated=Sum("amount"), expired=Sum("expired_amount"))
    }
    held = {row.pop("allocation__fund_id"): row for row in requests.values("allocation__fund_id").annotate(**holds())}
    empty = {"allocated": ZERO, "expired": ZERO}
    return {pk: Balance(**given.get(pk, empty), **held.get(pk, {})) for pk in ids}


def fund_totals(funds: Iterable[Fund], *, partner=None) -> dict[int, FundTotals]:
    """{fund id: FundTotals} over every allocation of each fund, or only `partner`'s."""
    funds = list(funds)
    balances = fund_balances(funds, partner=partner)
    totals = {}
    for fund in funds:
        balance = balances[fund.pk]
        left = None if partner is not None else fund.budget - outstanding(balance.allocated, balance.expired)
        totals[fund.pk] = FundTotals(balance=balance, available_to_allocate=left)
    return totals
