from .access import (
    allocations_visible_to,
    attachments_visible_to,
    claims_visible_to,
    funds_visible_to,
    requests_visible_to,
)
from .balances import allocation_balance, allocation_balances, balance_total
from .funds import FundTotals, fund_totals

__all__ = [
    "FundTotals",
    "allocation_balance",
    "allocation_balances",
    "allocations_visible_to",
    "attachments_visible_to",
    "balance_total",
    "claims_visible_to",
    "fund_totals",
    "funds_visible_to",
    "requests_visible_to",
]
