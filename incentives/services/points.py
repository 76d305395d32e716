"""Points: the FIFO expiry of a whole tenant's points in one `INSERT … SELECT` (rule in incentives.points_fifo),
and the per-recipient locks that keep a balance check and its debit together.

Expiry lines are debits too, so the rule is cumulative: a missed day is caught up the next day, and a rerun
the same day finds nothing left to expire (its key `expiry:<recipient>:<date>` would refuse it anyway).
"""

import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prm.notifications.models import Notification
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant

from ..models import LedgerEntry
from ..points_fifo import DEBIT, LOT, expiry_cutoff
from .schedule import incentive_settings

LEDGER = LedgerEntry._meta.db_table
_TENANT_LOCK = 7402  # advisory lock namespaces (two-int form): the tenant's points, one recipient's points
_RECIPIENT_LOCK = 7403


def recipient_key(*, user_id: int | None = None, partner_id: int | None = None) -> str:
    """'u<id>' for a person, 'p<id>' for a partner company: the recipient part of points idempotency keys."""
    return f"u{user_id}" if user_id is not None else f"p{partner_id}"


def points_lock_recipient(*, user_id: int | None = None, partner_id: int | None = None) -> None:
    """Serialise debits of one recipient's points until the transaction ends (and wait out a running expiry)."""
    tenant_id = current_tenant().pk
    key = zlib.crc32(f"points:{tenant_id}:{recipient_key(user_id=user_id, partner_id=partner_id)}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [_TENANT_LOCK, tenant_id])
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_RECIPIENT_LOCK, key - 2**31])


def _points_lock_tenant() -> None:
    """The whole tenant's points, exclusively: no redemption checks a balance while expiry posts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_TENANT_LOCK, current_tenant().pk])


@dataclass(frozen=True)
class ExpiryResult:
    lines: int
    points: int


@transaction.atomic
def points_expire(*, today: date) -> ExpiryResult:
    """Post today's expiry lines for every recipient of the tenant in context (one per recipient with points
    past their life); returns how many lines and points were posted. Running it again the same day posts nothing."""
    _points_lock_tenant()
    tenant_id = current_tenant().pk
    months = incentive_settings().points_expiry_months
    cutoff = expiry_cutoff(today, months)
    sql = f"""
        WITH per_recipient AS (
            SELECT e.recipient_user_id, e.recipient_partner_id,
                   COALESCE(e.recipient_partner_id, MAX(e.partner_id)) AS partner_id,
                   COALESCE(SUM(e.amount) FILTER (WHERE {LOT} AND e.occurred_on <= %s), 0) AS lots_due,
                   COALESCE(-SUM(e.amount) FILTER (WHERE {DEBIT}), 0) AS debits
            FROM {LEDGER} e
            WHERE e.tenant_id = %s AND e.unit = 'points'
            GROUP BY e.recipient_user_id, e.recipient_partner_id
        ),
        inserted AS (
            INSERT INTO {LEDGER} (
                tenant_id, period, partner_id, recipient_partner_id, recipient_user_id, unit, currency, amount,
                entry_type, source, explanation, reason, idempotency_key, occurred_on, created_at
            )
            SELECT %s, '', r.partner_id, r.recipient_partner_id, r.recipient_user_id, 'points', '',
                   -(r.lots_due - r.debits), 'expiry', 'expiry',
                   jsonb_build_object(
                       'earned_on_or_before', %s::text, 'months', %s::int,
                       'earned_by_then', r.lots_due::text, 'spent_before', r.debits::text
                   ),
                   '',
                   'expiry:' || COALESCE('p' || r.recipient_partner_id, 'u' || r.recipient_user_id) || ':' || %s::text,
                   %s, NOW()
            FROM per_recipient r
            WHERE r.lots_due > r.debits
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING amount
        )
        SELECT COUNT(*), COALESCE(-SUM(amount), 0) FROM inserted
    """
    params = [cutoff, tenant_id, tenant_id, cutoff.isoformat(), months, today.isoformat(), today]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        lines, points = cursor.fetchone()
    return ExpiryResult(lines=lines, points=int(points))


REMIND_DAYS_BEFORE = 30


@transaction.atomic
def points_expiry_remind(*, today: date) -> int:
    """Tell each person whose points will expire in 30 days, on the day a lot comes within 30 days of its
    expiry (lots earned since yesterday's cutoff); returns how many were told. A rerun the same day tells
    no one twice (the notification's title carries the date)."""
    tenant_id = current_tenant().pk
    months = incentive_settings().points_expiry_months
    by = today + timedelta(days=REMIND_DAYS_BEFORE)
    cutoff, previous = expiry_cutoff(by, months), expiry_cutoff(by - timedelta(days=1), months)
    sql = f"""
        SELECT r.recipient_user_id, r.lots_due - r.debits FROM (
            SELECT e.recipient_user_id,
                   COALESCE(SUM(e.amount) FILTER (WHERE {LOT} AND e.occurred_on <= %s), 0) AS lots_due,
                   COALESCE(-SUM(e.amount) FILTER (WHERE {DEBIT}), 0) AS debits,
                   BOOL_OR({LOT} AND e.occurred_on > %s AND e.occurred_on <= %s) AS crossing
            FROM {LEDGER} e
            WHERE e.tenant_id = %s AND e.unit = 'points' AND e.recipient_user_id IS NOT NULL
            GROUP BY e.recipient_user_id
        ) r
        WHERE r.crossing AND r.lots_due > r.debits
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [cutoff, previous, cutoff, tenant_id])
        expiring = dict(cursor.fetchall())
    if not expiring:
        return 0
    users = get_user_model().objects.in_bulk(list(expiring))
    told = 0
    for user_id, points in sorted(expiring.items()):
        title = _("%(points)d of your points expire on %(date)s") % {
            "points": int(points),
            "date": date_format(by, "DATE_FORMAT"),
        }
        if Notification.objects.filter(user_id=user_id, title=title).exists():
            continue
        body = _("Points expire %(months)d months after they were earned, oldest first. Spend them on a reward.") % {
            "months": months
        }
        notify(users=[users[user_id]], title=title, body=body, url="/rewards/", email=True)
        told += 1
    return told
