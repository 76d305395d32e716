"""Reads of points, rewards and redemptions: balances (one aggregate query), history, the catalog a partner
may redeem from, and the oldest unspent lot (the engagement signal stored on a redemption)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from partners.models import Partner
from prm.tenancy.context import current_tenant

from ..models import EntryType, IncentiveSettings, LedgerEntry, Redemption, Reward
from ..points_fifo import DEBIT, LOT, expiry_cutoff

LEDGER = LedgerEntry._meta.db_table

EXPIRING_SOON_DAYS = 30
EARNED_TYPES = (EntryType.EARNING, EntryType.TRUE_UP, EntryType.ADJUSTMENT, EntryType.CLAWBACK)
REDEEMED_TYPES = (EntryType.REDEMPTION, EntryType.REFUND)


@dataclass(frozen=True)
class PointsBalance:
    """available = earned − redeemed − expired. `expiring_soon`: what expires by `expiring_by` unless spent."""

    available: int
    earned: int
    redeemed: int
    expired: int
    expiring_soon: int
    expiring_by: date


def points_expiry_months() -> int:
    """The tenant's setting (its default while the settings row does not exist yet)."""
    months = IncentiveSettings.objects.values_list("points_expiry_months", flat=True).first()
    return IncentiveSettings._meta.get_field("points_expiry_months").default if months is None else months


def _recipient_filter(*, user=None, partner=None) -> Q:
    if (user is None) == (partner is None):
        raise ValueError("Give exactly one of user and partner.")
    if user is not None:
        return Q(recipient_user=user)
    return Q(recipient_partner=partner)


def points_history(*, user=None, partner=None) -> QuerySet[LedgerEntry]:
    """The recipient's points lines, newest first."""
    return (
        LedgerEntry.objects.filter(_recipient_filter(user=user, partner=partner), unit="points")
        .select_related("program")
        .order_by("-occurred_on", "-id")
    )


def points_balance(*, user=None, partner=None, today: date) -> PointsBalance:
    """One aggregate over the recipient's points lines (see services.points for the FIFO rule)."""
    expiring_by = today + timedelta(days=EXPIRING_SOON_DAYS)
    cutoff = expiry_cutoff(expiring_by, points_expiry_months())
    totals = LedgerEntry.objects.filter(_recipient_filter(user=user, partner=partner), unit="points").aggregate(
        available=Sum("amount"),
        earned=Sum("amount", filter=Q(entry_type__in=EARNED_TYPES)),
        redeemed=Sum("amount", filter=Q(entry_type__in=REDEEMED_TYPES)),
        expired=Sum("amount", filter=Q(entry_type=EntryType.EXPIRY)),
        lots_due=Sum("amount", filter=Q(amount__gt=0, occurred_on__lte=cutoff) & ~Q(entry_type=EntryType.REFUND)),
        debits=Sum("amount", filter=Q(amount__lt=0) | Q(entry_type=EntryType.REFUND)),
    )
    value = {name: int(amount or 0) for name, amount in totals.items()}
    return PointsBalance(
        available=value["available"],
        earned=value["earned"],
        redeemed=-value["redeemed"],
        expired=-value["expired"],
        expiring_soon=max(0, value["lots_due"] + value["debits"]),
        expiring_by=expiring_by,
    )


def points_oldest_unspent_on(*, user_id: int | None = None, partner_id: int | None = None) -> date | None:
    """The day the oldest lot not yet consumed (FIFO) was earned; None when every point is spent."""
    column, recipient_id = (
        ("recipient_user_id", user_id) if user_id is not None else ("recipient_partner_id", partner_id)
    )
    sql = f"""
        WITH mine AS (
            SELECT e.id, e.amount, e.entry_type, e.occurred_on FROM {LEDGER} e
            WHERE e.tenant_id = %s AND e.unit = 'points' AND e.{column} = %s
        ),
        spent AS (SELECT COALESCE(-SUM(e.amount) FILTER (WHERE {DEBIT}), 0) AS debits FROM mine e),
        lots AS (
            SELECT e.occurred_on, SUM(e.amount) OVER (ORDER BY e.occurred_on, e.id) AS running
            FROM mine e WHERE {LOT}
        )
        SELECT MIN(l.occurred_on) FROM lots l, spent s WHERE l.running > s.debits
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [current_tenant().pk, recipient_id])
        return cursor.fetchone()[0]


def reward_list() -> QuerySet[Reward]:
    return Reward.objects.order_by("position", "points_cost", "name", "pk")


def rewards_for_partner(partner: Partner) -> QuerySet[Reward]:
    """Active rewards the partner's tier may redeem (a reward without tiers is for every tier)."""
    tier_ok = Q(eligible_tier_ids=[])
    if partner.tier_id is not None:
        tier_ok |= Q(eligible_tier_ids__contains=[partner.tier_id])
    return reward_list().filter(tier_ok, is_active=True)


def reward_is_eligible(reward: Reward, partner: Partner) -> bool:
    return not reward.eligible_tier_ids or partner.tier_id in reward.eligible_tier_ids


def redemption_list() -> QuerySet[Redemption]:
    return Redemption.objects.select_related("reward", "user", "partner", "decided_by").order_by("-requested_at", "-id")
