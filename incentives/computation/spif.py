"""SPIF targets: one line per sale (or per deal) of the named products, to the rep who sold it.

The rep is the sale's rep, else the deal's registering rep; a sale with neither earns nothing (it is
left out, not counted anywhere). `cap_per_rep` caps what a rep earns over the whole program window:
a running total per (partner, rep) ordered by (booked_on, id) from the program's first day, each line
cut at the cap (`rules.capped_running`), then only the lines inside the run's period are returned.
"""

from decimal import Decimal

from deals.models import Deal, Product, SaleRecord

from .context import RunContext


def _lines_sql(ctx: RunContext) -> tuple[str, list]:
    """Uncapped, rounded lines from the program's first day to the period's last day:
    partner_id, rep_id, source, booked_on, ord (tie-break), product_id, units, amount."""
    params = ctx.params
    sales = SaleRecord._meta.db_table
    deals = Deal._meta.db_table
    base_where = """
        s.tenant_id = %s AND s.partner_id = ANY(%s) AND s.product_id = ANY(%s)
        AND s.booked_on BETWEEN %s AND %s AND s.created_at <= %s
    """
    base_params = [ctx.tenant_id, ctx.partner_ids, params["products"], ctx.window_starts_on, ctx.last_day, ctx.cutoff]
    if params["basis"] == "per_deal":
        # One award per deal (a sale without a deal is its own deal), at its first named-product sale.
        sql = f"""
            SELECT DISTINCT ON (COALESCE('deal:' || s.deal_id, 'sale:' || s.id))
                   s.partner_id, COALESCE(s.rep_id, d.registered_by_id) AS rep_id,
                   COALESCE('deal:' || s.deal_id, 'sale:' || s.id) AS source,
                   s.booked_on, s.id AS ord, s.product_id, 1 AS units,
                   ROUND(%s::numeric, 2) AS amount
            FROM {sales} s LEFT JOIN {deals} d ON d.id = s.deal_id
            WHERE {base_where}
            ORDER BY COALESCE('deal:' || s.deal_id, 'sale:' || s.id), s.booked_on, s.id
        """
        return sql, [Decimal(params["amount"]), *base_params]
    if params["basis"] == "per_unit":
        amount, amount_params, currency = "%s::numeric * s.quantity", [Decimal(params["amount"])], ""
    else:  # percent of the sale's amount: only sales in the program's currency
        amount, amount_params = "s.amount * %s::numeric / 100", [Decimal(params["rate"])]
        currency = " AND s.currency = %s"
        base_params.append(ctx.currency)
    sql = f"""
        SELECT s.partner_id, COALESCE(s.rep_id, d.registered_by_id) AS rep_id, 'sale:' || s.id AS source,
               s.booked_on, s.id AS ord, s.product_id, s.quantity AS units, ROUND({amount}, 2) AS amount
        FROM {sales} s LEFT JOIN {deals} d ON d.id = s.deal_id
        WHERE {base_where}{currency}
    """
    return sql, [*amount_params, *base_params]


def targets(ctx: RunContext) -> tuple[str, list]:
    params = ctx.params
    lines_sql, lines_params = _lines_sql(ctx)
    cap = Decimal(params["cap_per_rep"]) if params["cap_per_rep"] is not None else None
    if cap is None:
        paid, cap_params = "l.amount", []
    else:
        # capped_running: pay min(line, cap − what came before), never below zero.
        paid = "GREATEST(0, LEAST(l.amount, %s::numeric - (l.running - l.amount)))"
        cap_params = [cap]
    rate_or_amount = params["rate"] if params["basis"] == "percent" else params["amount"]
    sql = f"""
        SELECT l.partner_id, NULL::bigint AS recipient_partner_id, l.rep_id AS recipient_user_id, l.source,
               {paid} AS amount, l.booked_on AS occurred_on,
               jsonb_build_object(
                   'basis', %s::text, %s::text, %s::text, 'units', l.units, 'product', pr.name,
                   'product_id', l.product_id, 'line_amount', l.amount::text, 'booked_on', l.booked_on::text,
                   'cap_per_rep', %s::text, 'earned_before', (l.running - l.amount)::text,
                   'capped', {paid} < l.amount
               ) AS explanation
        FROM (
            SELECT x.*, SUM(x.amount) OVER (
                       PARTITION BY x.partner_id, x.rep_id ORDER BY x.booked_on, x.ord
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                   ) AS running
            FROM ({lines_sql}) x
            WHERE x.rep_id IS NOT NULL
        ) l
        LEFT JOIN {Product._meta.db_table} pr ON pr.id = l.product_id
        WHERE l.booked_on BETWEEN %s AND %s
    """
    sql_params = [
        *cap_params,
        params["basis"],
        "rate" if params["basis"] == "percent" else "amount",
        rate_or_amount,
        params["cap_per_rep"],
        *cap_params,
        *lines_params,
        ctx.first_day,
        ctx.last_day,
    ]
    return sql, sql_params
