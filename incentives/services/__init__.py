from .points import ExpiryResult, points_expire, points_expiry_remind
from .programs import (
    enrollment_accept,
    incentive_program_create,
    incentive_program_set_status,
    incentive_program_update,
    rule_version_create,
)
from .redemptions import (
    InsufficientPoints,
    redemption_fulfil,
    redemption_refuse,
    redemption_request,
    reward_create,
    reward_update,
)
from .runs import RunBusy, register_after_run, run_execute, run_request

__all__ = [
    "ExpiryResult",
    "InsufficientPoints",
    "points_expire",
    "points_expiry_remind",
    "redemption_fulfil",
    "redemption_refuse",
    "redemption_request",
    "reward_create",
    "reward_update",
    "RunBusy",
    "enrollment_accept",
    "incentive_program_create",
    "incentive_program_set_status",
    "incentive_program_update",
    "register_after_run",
    "rule_version_create",
    "run_execute",
    "run_request",
]
