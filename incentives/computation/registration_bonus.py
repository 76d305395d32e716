"""Registration bonus targets: a won registration closed inside its protection window earns a flat
amount or a percent of its won amount, once, in the period of its closing day.

Won inside the window: status won and `closed_at::date <= protected_until` (the closing day is taken
as the UTC date of `closed_at`). Only deals in the program's currency. Award to the partner company,
or to the registering rep (a deal without one earns nothing then).
"""

from decimal import Decimal

from deals.models import Deal

from .context import RunContext


def targets(ctx: RunContext) -> tuple[str, list]:
    params = ctx.params
    if params["basis"] == "percent":
        amount, amount_params = "ROUND(d.closed_amount * %s::numeric / 100, 2)", [Decimal(params["rate"])]
        value_key, value = "rate", params["rate"]
    else:
        amount, amount_params = "ROUND(%s::numeric, 2)", [Decimal(params["amount"])]
        value_key, value = "amount", params["amount"]
    if ctx.award_to == "rep":
        recipient = "NULL::bigint AS recipient_partner_id, d.registered_by_id AS recipient_user_id"
        rep_filter = " AND d.registered_by_id IS NOT NULL"
    else:
        recipient = "d.partner_id AS recipient_partner_id, NULL::bigint AS recipient_user_id"
        rep_filter = ""
    sql = f"""
        SELECT d.partner_id, {recipient}, 'deal:' || d.id AS source, {amount} AS amount,
               (d.closed_at AT TIME ZONE 'UTC')::date AS occurred_on,
               jsonb_build_object(
                   'basis', %s::text, %s::text, %s::text, 'customer', d.customer_name,
                   'closed_amount', d.closed_amount::text, 'closed_on', (d.closed_at AT TIME ZONE 'UTC')::date::text,
                   'protected_until', d.protected_until::text
               ) AS explanation
        FROM {Deal._meta.db_table} d
        WHERE d.tenant_id = %s AND d.partner_id = ANY(%s) AND d.status = 'won' AND d.currency = %s
          AND d.closed_at <= %s AND d.protected_until IS NOT NULL
          AND (d.closed_at AT TIME ZONE 'UTC')::date BETWEEN %s AND %s
          AND (d.closed_at AT TIME ZONE 'UTC')::date <= d.protected_until{rep_filter}
    """
    sql_params = [
        *amount_params,
        params["basis"],
        value_key,
        value,
        ctx.tenant_id,
        ctx.partner_ids,
        ctx.currency,
        ctx.cutoff,
        ctx.first_day,
        ctx.last_day,
    ]
    return sql, sql_params
