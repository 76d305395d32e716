from .access import (
    allocations_visible_to,
    attachments_visible_to,
    claims_visible_to,
    funds_visible_to,
    requests_visible_to,
)
from .balances import allocation_balance, allocation_balances, balance_total
from .payment_times import PaymentTimes, claim_payment_times

__all__ = [
    "PaymentTimes",
    "claim_payment_times",
    "allocation_balance",
    "allocation_balances",
    "allocations_visible_to",
    "attachments_visible_to",
    "balance_total",
    "claims_visible_to",
    "funds_visible_to",
    "requests_visible_to",
]
