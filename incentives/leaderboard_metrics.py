"""Leaderboard metrics: what partners and reps are ranked by, each a set-based SQL source per scope.

A source answers, for one tenant and one date range, rows of `(partner_id, user_id, value)`: one row per
partner (`user_id` NULL) for the partner scope, one per (partner, rep) for the rep scope. The registry is
open: another app registers its metric in `AppConfig.ready()` (the content app adds "certifications").

    register_leaderboard_metric(LeaderboardMetric("revenue", _("Revenue"), "money", {"partner": …, "rep": …}))
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from deals.metric_sources import APPROVED_OR_LATER
from deals.models import Deal, SaleRecord

from .models import LedgerEntry

PARTNER, REP = "partner", "rep"
SCOPES = (PARTNER, REP)


@dataclass(frozen=True)
class SourceArgs:
    """What a source query is given: the tenant, its currency and time zone, and the days counted."""

    tenant_id: int
    currency: str
    timezone: str
    first_day: date
    last_day: date


# source(args) -> (sql selecting partner_id, user_id, value; params)
Source = Callable[[SourceArgs], tuple[str, list]]


@dataclass(frozen=True)
class LeaderboardMetric:
    key: str
    label: str
    unit: str  # "money" (the tenant's currency), "count" or "points"
    sources: dict[str, Source] = field(default_factory=dict)  # scope -> source


_METRICS: dict[str, LeaderboardMetric] = {}


def register_leaderboard_metric(metric: LeaderboardMetric) -> None:
    unknown = set(metric.sources) - set(SCOPES)
    if unknown:
        raise ValueError(f"Unknown leaderboard scopes for {metric.key}: {sorted(unknown)}")
    _METRICS[metric.key] = metric


def leaderboard_metrics() -> list[LeaderboardMetric]:
    return list(_METRICS.values())


def leaderboard_metric(key: str) -> LeaderboardMetric | None:
    return _METRICS.get(key)


def _local_day(column: str) -> str:
    """The tenant-local calendar day of a timestamp column (the range is given in days)."""
    return f"({column} AT TIME ZONE %s)::date"


def _by_scope(scope: str, partner: str, person: str) -> tuple[str, str, str]:
    """The user column, the extra filter and the GROUP BY of a source ranking partners or their people."""
    if scope == REP:
        return person, f" AND {person} IS NOT NULL", f"{partner}, {person}"
    return "NULL::bigint", "", partner


def _revenue(scope: str) -> Source:
    def source(args: SourceArgs) -> tuple[str, list]:
        rep, rep_filter, group = _by_scope(scope, "s.partner_id", "s.rep_id")
        sql = f"""
            SELECT s.partner_id, {rep} AS user_id, SUM(s.amount) AS value
            FROM {SaleRecord._meta.db_table} s
            WHERE s.tenant_id = %s AND s.booked_on BETWEEN %s AND %s AND s.currency = %s{rep_filter}
            GROUP BY {group}
            HAVING SUM(s.amount) > 0
        """
        return sql, [args.tenant_id, args.first_day, args.last_day, args.currency]

    return source


def _deals(scope: str, *, statuses: tuple[str, ...], moment: str) -> Source:
    def source(args: SourceArgs) -> tuple[str, list]:
        rep, rep_filter, group = _by_scope(scope, "d.partner_id", "d.registered_by_id")
        sql = f"""
            SELECT d.partner_id, {rep} AS user_id, COUNT(*) AS value
            FROM {Deal._meta.db_table} d
            WHERE d.tenant_id = %s AND d.status = ANY(%s) AND d.{moment} IS NOT NULL
              AND {_local_day("d." + moment)} BETWEEN %s AND %s{rep_filter}
            GROUP BY {group}
        """
        return sql, [args.tenant_id, [str(status) for status in statuses], args.timezone, args.first_day, args.last_day]

    return source


def _points(scope: str) -> Source:
    def source(args: SourceArgs) -> tuple[str, list]:
        rep, rep_filter, group = _by_scope(scope, "e.partner_id", "e.recipient_user_id")
        sql = f"""
            SELECT e.partner_id, {rep} AS user_id, SUM(e.amount) AS value
            FROM {LedgerEntry._meta.db_table} e
            WHERE e.tenant_id = %s AND e.unit = 'points' AND e.entry_type IN ('earning', 'true_up')
              AND e.amount > 0 AND e.partner_id IS NOT NULL AND e.occurred_on BETWEEN %s AND %s{rep_filter}
            GROUP BY {group}
        """
        return sql, [args.tenant_id, args.first_day, args.last_day]

    return source


REVENUE = LeaderboardMetric("revenue", _("Revenue"), "money", {PARTNER: _revenue(PARTNER), REP: _revenue(REP)})
DEALS_WON = LeaderboardMetric(
    "deals_won",
    _("Deals won"),
    "count",
    {scope: _deals(scope, statuses=("won",), moment="closed_at") for scope in SCOPES},
)
APPROVED_REGISTRATIONS = LeaderboardMetric(
    "approved_registrations",
    _("Approved registrations"),
    "count",
    {scope: _deals(scope, statuses=APPROVED_OR_LATER, moment="decided_at") for scope in SCOPES},
)
POINTS = LeaderboardMetric("points", _("Points earned"), "points", {PARTNER: _points(PARTNER), REP: _points(REP)})

for _metric in (REVENUE, DEALS_WON, APPROVED_REGISTRATIONS, POINTS):
    register_leaderboard_metric(_metric)
