from .leaderboards import leaderboard_refresh, leaderboard_settings_update
from .programs import (
    enrollment_accept,
    incentive_program_create,
    incentive_program_set_status,
    incentive_program_update,
    rule_version_create,
)
from .runs import RunBusy, register_after_run, run_execute, run_request

__all__ = [
    "RunBusy",
    "enrollment_accept",
    "incentive_program_create",
    "incentive_program_set_status",
    "incentive_program_update",
    "leaderboard_refresh",
    "leaderboard_settings_update",
    "register_after_run",
    "rule_version_create",
    "run_execute",
    "run_request",
]
