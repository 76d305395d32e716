"""Leaderboard snapshots: every metric and scope of a period ranked in SQL and stored, so pages only read.

Snapshots are derived data, not a ledger: a refresh replaces a (period, metric, scope)'s rows in one
transaction (readers see the old board or the new one, never a mix).
"""

import logging
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from partners.models import Partner
from prm.accounts.models import User
from prm.audit.services import audit_record
from prm.errors import InvalidInput
from prm.tenancy.context import current_tenant

from ..leaderboard_metrics import SourceArgs, leaderboard_metrics
from ..models import IncentiveSettings, LeaderboardSnapshot
from ..periods import SCHEMES, Period, parse_period, period_containing

logger = logging.getLogger(__name__)


def leaderboard_period(period_key: str) -> Period:
    """The period a key names (2026-07, 2026-Q3, 2026), or InvalidInput on the `period` field."""
    try:
        return parse_period(period_key)
    except ValueError as error:
        raise InvalidInput(str(error), fields={"period": [str(error)]}) from error


def _refresh_one(*, period: Period, metric, scope: str, source, tenant, now) -> int:
    args = SourceArgs(
        tenant_id=tenant.pk,
        currency=tenant.currency,
        timezone=tenant.timezone,
        first_day=period.starts_on,
        last_day=period.ends_on,
    )
    source_sql, source_params = source(args)
    table = LeaderboardSnapshot._meta.db_table
    sql = f"""
        INSERT INTO {table} (tenant_id, period, metric, scope, partner_id, user_id, value, rank,
                             program_id_at, tier_id_at, regions_at, refreshed_at)
        SELECT %s, %s, %s, %s, v.partner_id, v.user_id, ROUND(v.value, 2),
               rank() OVER (ORDER BY ROUND(v.value, 2) DESC), p.program_id, p.tier_id, p.regions, %s
        FROM ({source_sql}) v
        JOIN {Partner._meta.db_table} p ON p.id = v.partner_id AND p.tenant_id = %s
        LEFT JOIN {User._meta.db_table} u ON u.id = v.user_id
        WHERE v.value > 0
        ORDER BY ROUND(v.value, 2) DESC, p.name, u.email, v.partner_id, v.user_id
    """
    params = [tenant.pk, period.key, metric.key, scope, now, *source_params, tenant.pk]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE tenant_id = %s AND period = %s AND metric = %s AND scope = %s",
            [tenant.pk, period.key, metric.key, scope],
        )
        cursor.execute(sql, params)
        return cursor.rowcount


def leaderboard_refresh(*, period_key: str) -> int:
    """Rank every registered metric and scope over `period_key` for the tenant in context; the rows written."""
    period = leaderboard_period(period_key)
    tenant = current_tenant()
    now = timezone.now()
    written = 0
    for metric in leaderboard_metrics():
        for scope, source in metric.sources.items():
            written += _refresh_one(period=period, metric=metric, scope=scope, source=source, tenant=tenant, now=now)
    return written


def current_period_keys(today: date, *, previous: bool = False) -> list[str]:
    """The month, quarter and year containing `today` (and, with `previous`, the ones just before them)."""
    keys = []
    for scheme in SCHEMES:
        period = period_containing(today, scheme)
        keys.append(period.key)
        if previous:
            keys.append(period.previous().key)
    return keys


def leaderboard_refresh_after_run(*, run) -> None:
    """After-run hook: queue a refresh of the run's period and of the current month, quarter and year."""
    from partners.services.tiers import tenant_today

    from ..tasks.leaderboards import leaderboards_refresh_task

    keys = [run.period, *(key for key in current_period_keys(tenant_today()) if key != run.period)]
    try:
        leaderboards_refresh_task.delay_on_commit(tenant_id=run.tenant_id, period_keys=keys)
    except Exception:  # the run itself succeeded; the hourly beat refresh catches up
        logger.exception("Could not queue the leaderboard refresh after run %s", run.pk)


@transaction.atomic
def leaderboard_settings_update(*, actor, published: bool, show_names: bool) -> IncentiveSettings:
    """Publish (or withdraw) the top 10 to partners, with or without the other partners' names."""
    settings, _created = IncentiveSettings.objects.select_for_update().get_or_create()
    changes = {}
    for field, value in (("leaderboard_published", published), ("leaderboard_show_names", show_names)):
        if getattr(settings, field) != bool(value):
            changes[field] = [getattr(settings, field), bool(value)]
            setattr(settings, field, bool(value))
    if changes:
        settings.save(update_fields=list(changes))
        audit_record(action="incentives.leaderboard_settings", actor=actor, obj=settings, changes=changes)
    return settings
