from .activity import activity_log
from .programs import (
    enrollment_accept,
    incentive_program_create,
    incentive_program_set_status,
    incentive_program_update,
    rule_version_create,
)
from .reexecute import run_reexecute
from .runs import RunBusy, register_after_run, run_execute, run_request

__all__ = [
    "RunBusy",
    "activity_log",
    "enrollment_accept",
    "incentive_program_create",
    "incentive_program_set_status",
    "incentive_program_update",
    "register_after_run",
    "rule_version_create",
    "run_execute",
    "run_reexecute",
    "run_request",
]
