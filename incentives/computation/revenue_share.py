"""Recurring revenue share targets: per subscription sale record, a share of its monthly recurring
amount for each of its months that falls in the period (and inside the share's first `months`).

Kinds new and expansion pay at `rate`; renewals at `renewal_rate` (else `rate`); one-time sales never.
The monthly amount is the recurring amount divided by the months of its product's billing period
(`rules.MONTHS_PER_BILLING_PERIOD`; no product or a one-time product: the recurring amount is monthly).
The months follow `rules.subscription_months_in`. A subscription booked in an earlier period earns in
later ones, so the filter is on overlap with the period, not on the booking date; only subscriptions
booked inside the program's window count (a program does not pay for business from before it began).
"""

from decimal import Decimal

from deals.models import Product, SaleRecord

from ..periods import month_index
from ..rules import MONTHS_PER_BILLING_PERIOD
from .context import RunContext


def _month(expr: str) -> str:
    """`periods.month_index` in SQL."""
    return f"(EXTRACT(YEAR FROM {expr})::int * 12 + EXTRACT(MONTH FROM {expr})::int - 1)"


def targets(ctx: RunContext) -> tuple[str, list]:
    params = ctx.params
    rate = Decimal(params["rate"])
    renewal_rate = Decimal(params["renewal_rate"]) if params["renewal_rate"] is not None else rate
    per_period = " ".join(f"WHEN '{key}' THEN {months}" for key, months in MONTHS_PER_BILLING_PERIOD.items())
    sql = f"""
        SELECT m.partner_id, m.partner_id AS recipient_partner_id, NULL::bigint AS recipient_user_id,
               'sale:' || m.id AS source,
               ROUND(m.rate / 100 * m.monthly * m.months, 2) AS amount,
               %s::date AS occurred_on,
               jsonb_build_object(
                   'sale_kind', m.kind, 'recurring_amount', m.recurring_amount::text,
                   'billing_period', m.billing_period, 'monthly', ROUND(m.monthly, 2)::text,
                   'months', m.months, 'rate', m.rate::text, 'booked_on', m.booked_on::text,
                   'term_months', m.term_months, 'share_months', %s::int,
                   'first_month', to_char(make_date(m.lo / 12, m.lo %% 12 + 1, 1), 'YYYY-MM'),
                   'last_month', to_char(make_date(m.hi / 12, m.hi %% 12 + 1, 1), 'YYYY-MM')
               ) AS explanation
        FROM (
            SELECT w.*, GREATEST(0, w.hi - w.lo + 1) AS months
            FROM (
                SELECT s.id, s.partner_id, s.kind, s.booked_on, s.term_months, s.recurring_amount,
                       COALESCE(NULLIF(pr.billing_period, ''), 'month') AS billing_period,
                       CASE WHEN s.kind = 'renewal' THEN %s::numeric ELSE %s::numeric END AS rate,
                       s.recurring_amount / CASE WHEN pr.billing = 'recurring'
                           THEN (CASE pr.billing_period {per_period} ELSE 1 END) ELSE 1 END AS monthly,
                       GREATEST({_month("s.booked_on")}, %s::int) AS lo,
                       LEAST({_month("s.booked_on")} + LEAST(s.term_months, %s::int) - 1, %s::int) AS hi
                FROM {SaleRecord._meta.db_table} s
                LEFT JOIN {Product._meta.db_table} pr ON pr.id = s.product_id
                WHERE s.tenant_id = %s AND s.partner_id = ANY(%s) AND s.kind IN ('new', 'expansion', 'renewal')
                  AND s.recurring_amount IS NOT NULL AND s.currency = %s AND s.created_at <= %s
                  AND s.booked_on BETWEEN %s AND %s
            ) w
        ) m
        WHERE m.months > 0
    """
    sql_params = [
        ctx.last_day,
        params["months"],
        renewal_rate,
        rate,
        month_index(ctx.first_day),
        params["months"],
        month_index(ctx.last_day),
        ctx.tenant_id,
        ctx.partner_ids,
        ctx.currency,
        ctx.cutoff,
        ctx.window_starts_on,
        ctx.last_day,
    ]
    return sql, sql_params
