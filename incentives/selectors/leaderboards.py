"""Leaderboards as read from their snapshots (never aggregated on read): the vendor's full boards, and what a
partner sees when the vendor publishes them (top 10, others anonymised unless names are shown, own standing).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce, Rank
from django.utils.translation import gettext as _

from ..models import IncentiveSettings, LeaderboardSnapshot

PUBLISHED_TOP = 10
MAX_LIMIT = 100


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    value: Decimal
    name: str  # what the board shows: the partner, or "rep (partner)"; "Partner #3" when anonymised
    partner_id: int | None  # None when anonymised (nothing identifies the row)
    partner_name: str
    user_id: int | None = None
    user_name: str = ""
    own: bool = False  # the viewer's own company (partner scope) or own person (rep scope)
    anonymised: bool = False
    refreshed_at: datetime | None = None


def _snapshots(*, period: str, metric: str, scope: str, program=None, tier=None, region=None):
    rows = LeaderboardSnapshot.objects.filter(period=period, metric=metric, scope=scope)
    if program is not None:
        rows = rows.filter(program_id_at=getattr(program, "pk", program))
    if tier is not None:
        rows = rows.filter(tier_id_at=getattr(tier, "pk", tier))
    if region:
        rows = rows.filter(regions_at__contains=[region])
    return rows


_ROW_FIELDS = ("value", "rank", "refreshed_at", "partner__name", "user__full_name", "user__email")


def _filtered(program, tier, region) -> bool:
    return program is not None or tier is not None or bool(region)


def _row(snapshot, rank: int, *, own: bool = False) -> LeaderRow:
    user = snapshot.user
    partner_name = snapshot.partner.name
    user_name = (user.full_name or user.email) if user is not None else ""
    return LeaderRow(
        rank=rank,
        value=snapshot.value,
        name=f"{user_name} ({partner_name})" if user is not None else partner_name,
        partner_id=snapshot.partner_id,
        partner_name=partner_name,
        user_id=snapshot.user_id,
        user_name=user_name,
        own=own,
        refreshed_at=snapshot.refreshed_at,
    )


def leaderboard_top(
    *, period: str, metric: str, scope: str, program=None, tier=None, region=None, limit: int = PUBLISHED_TOP
) -> list[LeaderRow]:
    """The best `limit` rows, one query. Unfiltered, the stored ranks; filtered by the partner's program, tier or
    region (as at the refresh), ranked again among the rows that remain (ties share a rank)."""
    rows = _snapshots(period=period, metric=metric, scope=scope, program=program, tier=tier, region=region)
    rows = rows.select_related("partner", "user").only(*_ROW_FIELDS)
    if _filtered(program, tier, region):
        rows = rows.annotate(position=Window(Rank(), order_by=F("value").desc()))
    else:
        rows = rows.annotate(position=F("rank"))
    # Ties come in snapshot order (the refresh inserts them by name): with the stored rank, the covering index
    # gives the first rows directly, without joining and sorting the whole board.
    rows = rows.order_by("position", "pk")[: max(1, min(limit, MAX_LIMIT))]
    return [_row(snapshot, snapshot.position) for snapshot in rows]


def partner_standing(
    *, period: str, metric: str, scope: str, partner, user=None, program=None, tier=None, region=None
) -> LeaderRow | None:
    """The partner's own row (scope "partner") or the person's own row (scope "rep", `user` required) with its
    rank on the board as filtered, wherever it is on the board; None when it has no row. One query."""
    rows = _snapshots(period=period, metric=metric, scope=scope, program=program, tier=tier, region=region)
    own = rows.filter(partner=partner)
    if scope == LeaderboardSnapshot.Scope.REP:
        if user is None:
            return None
        own = own.filter(user=user)
    if _filtered(program, tier, region):
        better = rows.filter(value__gt=OuterRef("value")).order_by().values("metric")
        better = better.annotate(n=Count("pk")).values("n")
        own = own.annotate(position=Coalesce(Subquery(better), Value(0)) + 1)
    else:
        own = own.annotate(position=F("rank"))
    snapshot = own.select_related("partner", "user").only(*_ROW_FIELDS).first()
    return _row(snapshot, snapshot.position, own=True) if snapshot is not None else None


@dataclass(frozen=True)
class PublishedBoard:
    rows: list[LeaderRow]
    own: LeaderRow | None  # the viewer's standing, also when outside the top 10
    show_names: bool


def leaderboard_settings() -> IncentiveSettings:
    """The tenant's settings row, or unsaved defaults (nothing published) when there is none yet."""
    return IncentiveSettings.objects.first() or IncentiveSettings()


def _anonymised(row: LeaderRow, position: int, *, scope: str) -> LeaderRow:
    if scope == LeaderboardSnapshot.Scope.REP:
        name = _("Rep #%(n)s") % {"n": position}
    else:
        name = _("Partner #%(n)s") % {"n": position}
    return replace(row, name=name, partner_id=None, partner_name="", user_id=None, user_name="", anonymised=True)


def leaderboard_for_partner(
    *, period: str, metric: str, scope: str, partner, user, show_names: bool, program=None, tier=None, region=None
) -> PublishedBoard:
    """A partner's view of a published board: the top 10, others anonymised by position unless the vendor shows
    names, the viewer's own row marked, and its own standing even outside the top 10. Two queries."""
    top = leaderboard_top(
        period=period, metric=metric, scope=scope, program=program, tier=tier, region=region, limit=PUBLISHED_TOP
    )
    own = partner_standing(
        period=period,
        metric=metric,
        scope=scope,
        partner=partner,
        user=user,
        program=program,
        tier=tier,
        region=region,
    )
    rows = []
    for position, row in enumerate(top, start=1):
        is_own = own is not None and (row.partner_id, row.user_id) == (own.partner_id, own.user_id)
        if scope == LeaderboardSnapshot.Scope.PARTNER:
            is_own = row.partner_id == partner.pk
        row = replace(row, own=is_own)
        # One's own company and its colleagues are no secret; others are, unless the vendor shows names.
        if not show_names and row.partner_id != partner.pk:
            row = _anonymised(row, position, scope=scope)
        rows.append(row)
    return PublishedBoard(rows=rows, own=own, show_names=show_names)


__all__ = [
    "PUBLISHED_TOP",
    "LeaderRow",
    "PublishedBoard",
    "leaderboard_for_partner",
    "leaderboard_settings",
    "leaderboard_top",
    "partner_standing",
]
