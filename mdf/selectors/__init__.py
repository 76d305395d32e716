from .access import (
    allocations_visible_to,
    attachments_visible_to,
    claims_visible_to,
    funds_visible_to,
    requests_visible_to,
)
from .balances import allocation_balance, allocation_balances, balance_total
from .funds import FundTotals, fund_balances, fund_totals
from .notices import fund_managers, partner_admins, partner_managers, request_recipients
from .payment_times import PaymentTimes, claim_payment_times
from .portal import (
    Deadline,
    campaign_lead_count,
    claim_deadlines,
    claims_to_review,
    requests_to_review,
    with_claim,
)
from .reviews import REVIEW_OVERDUE, OverdueReviews, is_review_overdue, reviews_overdue
from .roi import ROI_GROUPINGS, RoiReport, RoiRow, mdf_roi, roi_requests_for

__all__ = [
    "REVIEW_OVERDUE",
    "is_review_overdue",
    "ROI_GROUPINGS",
    "Deadline",
    "FundTotals",
    "OverdueReviews",
    "PaymentTimes",
    "RoiReport",
    "RoiRow",
    "allocation_balance",
    "allocation_balances",
    "allocations_visible_to",
    "attachments_visible_to",
    "balance_total",
    "campaign_lead_count",
    "claim_deadlines",
    "claim_payment_times",
    "claim_payment_times",
    "claims_to_review",
    "claims_visible_to",
    "fund_balances",
    "fund_managers",
    "fund_totals",
    "funds_visible_to",
    "mdf_roi",
    "partner_admins",
    "partner_managers",
    "request_recipients",
    "requests_to_review",
    "requests_visible_to",
    "reviews_overdue",
    "roi_requests_for",
    "with_claim",
]
