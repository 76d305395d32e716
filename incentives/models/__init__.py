from .activity import ActivityEvent
from .leaderboards import IncentiveSettings, LeaderboardSnapshot
from .ledger import EntryType, LedgerEntry, Payout, PayoutItem
from .programs import AwardTo, Enrollment, IncentiveProgram, PeriodScheme, ProgramKind, RuleVersion, Unit
from .rewards import Redemption, Reward
from .runs import ProgramPeriod, Run

__all__ = [
    "ActivityEvent",
    "AwardTo",
    "Enrollment",
    "EntryType",
    "IncentiveProgram",
    "IncentiveSettings",
    "LeaderboardSnapshot",
    "LedgerEntry",
    "Payout",
    "PayoutItem",
    "PeriodScheme",
    "ProgramKind",
    "ProgramPeriod",
    "Redemption",
    "Reward",
    "RuleVersion",
    "Run",
    "Unit",
]
