from .claims import (
    claim_attachment_add,
    claim_attachment_remove,
    claims_mark_paid,
    mdf_claim_approve,
    mdf_claim_create,
    mdf_claim_extend,
    mdf_claim_reject,
    mdf_claim_return,
    mdf_claim_submit,
    mdf_claim_update,
    missing_proof,
)
from .coop import allocations_coop
from .funds import allocation_set, allocations_by_tier, fund_allocated, fund_create
from .lifecycle import allocations_expire, funds_period_start, mdf_reminders_send
from .requests import (
    allocation_available,
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
    mdf_request_update,
)

__all__ = [
    "allocation_available",
    "allocation_set",
    "allocations_by_tier",
    "allocations_coop",
    "allocations_expire",
    "claim_attachment_add",
    "claim_attachment_remove",
    "claims_mark_paid",
    "fund_allocated",
    "fund_create",
    "funds_period_start",
    "mdf_claim_approve",
    "mdf_claim_create",
    "mdf_claim_extend",
    "mdf_claim_reject",
    "mdf_claim_return",
    "mdf_claim_submit",
    "mdf_claim_update",
    "mdf_reminders_send",
    "mdf_request_approve",
    "mdf_request_create",
    "mdf_request_reject",
    "mdf_request_return",
    "mdf_request_submit",
    "mdf_request_update",
    "missing_proof",
]
