from .funds import allocation_set, allocations_by_tier, fund_allocated, fund_create
from .requests import (
    allocation_available,
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
)

__all__ = [
    "allocation_available",
    "allocation_set",
    "allocations_by_tier",
    "fund_allocated",
    "fund_create",
    "mdf_request_approve",
    "mdf_request_create",
    "mdf_request_reject",
    "mdf_request_return",
    "mdf_request_submit",
]
