"""A fund's figures summed over its allocations, for a page of funds in two queries (allocations, balances)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..models import Allocation, Fund
from ..rules import Balance, outstanding
from .balances import allocation_balances, balance_total


@dataclass(frozen=True)
class FundTotals:
    balance: Balance  # the allocations' balances added up
    # What the fund can still give: its budget less what its allocations hold (None when only one partner's
    # allocations were counted: the budget's use by the others is not that partner's to see).
    available_to_allocate: Decimal | None


def fund_totals(funds: Iterable[Fund], *, partner=None) -> dict[int, FundTotals]:
    """{fund id: FundTotals} over every allocation of each fund, or only `partner`'s."""
    funds = list(funds)
    allocations = Allocation.objects.filter(fund__in=[fund.pk for fund in funds])
    if partner is not None:
        allocations = allocations.filter(partner=partner)
    allocations = list(allocations.only("pk", "fund_id", "amount", "expired_amount"))
    balances = allocation_balances(allocations)
    by_fund: dict[int, list[Balance]] = defaultdict(list)
    for allocation in allocations:
        by_fund[allocation.fund_id].append(balances[allocation.pk])
    totals = {}
    for fund in funds:
        balance = balance_total(by_fund[fund.pk])
        left = None if partner is not None else fund.budget - outstanding(balance.allocated, balance.expired)
        totals[fund.pk] = FundTotals(balance=balance, available_to_allocate=left)
    return totals
