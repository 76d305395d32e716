from .access import (
    allocations_visible_to,
    attachments_visible_to,
    claims_visible_to,
    funds_visible_to,
    requests_visible_to,
)
from .balances import allocation_balance, allocation_balances, balance_total
from .roi import ROI_GROUPINGS, RoiReport, RoiRow, mdf_roi, roi_requests_for

__all__ = [
    "ROI_GROUPINGS",
    "RoiReport",
    "RoiRow",
    "allocation_balance",
    "allocation_balances",
    "allocations_visible_to",
    "attachments_visible_to",
    "balance_total",
    "claims_visible_to",
    "funds_visible_to",
    "mdf_roi",
    "requests_visible_to",
    "roi_requests_for",
]
