from .activity import activity_log
from .leaderboards import leaderboard_refresh, leaderboard_settings_update
from .ledger import (
    ledger_adjust,
    ledger_clawback,
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payouts_approve,
    payouts_csv,
    payouts_prepare,
    register_after_payout_paid,
    reimbursement_post,
    sale_clawback,
)
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
from .reexecute import run_reexecute
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
    "activity_log",
    "enrollment_accept",
    "incentive_program_create",
    "incentive_program_set_status",
    "incentive_program_update",
    "ledger_adjust",
    "ledger_clawback",
    "payout_approve",
    "payout_cancel",
    "payout_mark_paid",
    "payouts_approve",
    "payouts_csv",
    "payouts_prepare",
    "leaderboard_refresh",
    "leaderboard_settings_update",
    "register_after_payout_paid",
    "register_after_run",
    "reimbursement_post",
    "rule_version_create",
    "run_execute",
    "run_reexecute",
    "run_request",
    "sale_clawback",
]
