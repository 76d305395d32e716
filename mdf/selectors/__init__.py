from .access import (
    allocations_visible_to,
    attachments_visible_to,
    claims_visible_to,
    funds_visible_to,
    requests_visible_to,
)
from .balances import allocation_balance, allocation_balances, balance_total
from .portal import (
    Deadline,
    campaign_lead_count,
    claim_deadlines,
    claims_to_review,
    fund_balances,
    requests_to_review,
    with_claim,
)

__all__ = [
    "Deadline",
    "allocation_balance",
    "allocation_balances",
    "allocations_visible_to",
    "attachments_visible_to",
    "balance_total",
    "campaign_lead_count",
    "claim_deadlines",
    "claims_to_review",
    "claims_visible_to",
    "fund_balances",
    "funds_visible_to",
    "requests_to_review",
    "requests_visible_to",
    "with_claim",
]
