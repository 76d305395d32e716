"""Posting a run: per chunk of partners, one `INSERT … SELECT` of the differences between what the rules
give now (the kind's targets) and what the ledger already holds for the program and period.

A first line for a (recipient, source) is an `earning`; a later difference is a `true_up`. The key of a
posted line is `run:<run>:<recipient>:<source>`, unique per tenant, and inserted with
`ON CONFLICT DO NOTHING`; a re-executed run reads the same inputs (up to its cutoff), finds no
difference, and posts nothing. Chunks commit one by one, so a killed run keeps its finished chunks
and the retry posts only the rest.
"""

from decimal import Decimal

from django.db import connection

from ..models import LedgerEntry
from .context import RunContext

LEDGER = LedgerEntry._meta.db_table


def _channel_manager_lines(share_pct: Decimal | None) -> tuple[str, list]:
    """The channel managers' share of every target line, as extra target rows (or nothing)."""
    if share_pct is None:
        return "", []
    from partners.models import Partner

    sql = f"""
        UNION ALL
        SELECT k.partner_id, NULL::bigint, p.channel_manager_id, 'cam:' || k.source,
               ROUND(k.amount * %s::numeric / 100, 2), k.occurred_on,
               k.explanation || jsonb_build_object('channel_manager_share_pct', %s::text, 'of_amount', k.amount::text)
        FROM kind_targets k JOIN {Partner._meta.db_table} p ON p.id = k.partner_id
        WHERE p.channel_manager_id IS NOT NULL
    """
    return sql, [share_pct, str(share_pct)]


def _differences_sql(ctx: RunContext, targets_sql: str, share_pct) -> tuple[str, list]:
    """A SELECT of (partner, recipient, source, delta, target explanation …) for the chunk."""
    cam_sql, cam_params = _channel_manager_lines(share_pct)
    sql = f"""
        WITH all_targets AS ({targets_sql}),
        kind_targets AS (SELECT * FROM all_targets WHERE partner_id = ANY(%s)),
        targets AS (
            SELECT partner_id, recipient_partner_id, recipient_user_id, source, amount, occurred_on, explanation
            FROM kind_targets
            {cam_sql}
        ),
        keyed AS (
            SELECT t.*, COALESCE('p' || t.recipient_partner_id, 'u' || t.recipient_user_id) AS recipient
            FROM targets t
        ),
        posted AS (
            SELECT partner_id, recipient_partner_id, recipient_user_id, source, SUM(amount) AS amount,
                   COALESCE('p' || recipient_partner_id, 'u' || recipient_user_id) AS recipient
            FROM {LEDGER}
            WHERE tenant_id = %s AND program_id = %s AND period = %s AND partner_id = ANY(%s)
              AND entry_type IN ('earning', 'true_up')
            GROUP BY partner_id, recipient_partner_id, recipient_user_id, source
        )
        SELECT COALESCE(k.partner_id, p.partner_id) AS partner_id,
               COALESCE(k.recipient_partner_id, p.recipient_partner_id) AS recipient_partner_id,
               COALESCE(k.recipient_user_id, p.recipient_user_id) AS recipient_user_id,
               COALESCE(k.recipient, p.recipient) AS recipient,
               COALESCE(k.source, p.source) AS source,
               COALESCE(k.amount, 0) - COALESCE(p.amount, 0) AS delta,
               COALESCE(k.amount, 0) AS target,
               p.amount AS posted,
               COALESCE(k.occurred_on, %s::date) AS occurred_on,
               COALESCE(k.explanation, '{{}}'::jsonb) AS explanation
        FROM keyed k FULL OUTER JOIN posted p ON k.recipient = p.recipient AND k.source = p.source
    """
    eligible = ctx.partner_ids if ctx.eligible_ids is None else ctx.eligible_ids
    params = [eligible, *cam_params, ctx.tenant_id, ctx.program_id, ctx.period.key, ctx.partner_ids, ctx.last_day]
    return sql, params


def chunk_post(ctx: RunContext, targets: tuple[str, list], *, share_pct=None) -> tuple[int, Decimal]:
    """Post the chunk's differences; returns (lines inserted, their total)."""
    targets_sql, targets_params = targets
    diff_sql, diff_params = _differences_sql(ctx, targets_sql, share_pct)
    sql = f"""
        WITH diff AS ({diff_sql}),
        inserted AS (
            INSERT INTO {LEDGER} (
                tenant_id, program_id, rule_version_id, run_id, period, partner_id, recipient_partner_id,
                recipient_user_id, unit, currency, amount, entry_type, source, explanation, reason,
                idempotency_key, occurred_on, created_at
            )
            SELECT %s, %s, %s, %s, %s, d.partner_id, d.recipient_partner_id, d.recipient_user_id, %s, %s, d.delta,
                   CASE WHEN d.posted IS NULL THEN 'earning' ELSE 'true_up' END,
                   d.source,
                   d.explanation || jsonb_build_object('rule_version', %s::int, 'period', %s::text)
                       || CASE WHEN d.posted IS NULL THEN '{{}}'::jsonb
                               ELSE jsonb_build_object('previously', d.posted::text, 'now', d.target::text) END,
                   '',
                   'run:' || %s::text || ':' || d.recipient || ':' || d.source,
                   LEAST(d.occurred_on, %s::date), NOW()
            FROM diff d WHERE d.delta <> 0
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING amount
        )
        SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM inserted
    """
    currency = ctx.currency if ctx.unit == "money" else ""
    params = [
        *targets_params,
        *diff_params,
        ctx.tenant_id,
        ctx.program_id,
        ctx.rule_version_id,
        ctx.run_id,
        ctx.period.key,
        ctx.unit,
        currency,
        ctx.rule_version,
        ctx.period.key,
        ctx.run_id,
        # A line is dated when it is earned: the period's end, or the run's day while the period is open.
        ctx.as_of or ctx.last_day,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, total = cursor.fetchone()
    return count, total


def pending_delta_total(ctx: RunContext, targets: tuple[str, list], *, share_pct=None) -> Decimal:
    """What posting the chunk would add, without posting (for the budget check)."""
    targets_sql, targets_params = targets
    diff_sql, diff_params = _differences_sql(ctx, targets_sql, share_pct)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(delta), 0) FROM ({diff_sql}) d", [*targets_params, *diff_params])
        return cursor.fetchone()[0]
