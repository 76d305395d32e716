"""Volume rebate targets: one line per partner per period, priced by the bands in SQL (same maths as
`incentives.rules.rebate_compute`, which the tests hold it to)."""

from decimal import Decimal

from django.db import connection

from deals.models import Product, SaleRecord
from partners.models import Partner, Tier

from ..rules import bands_from
from .context import RunContext


def band_rate_sql(bands, revenue: str) -> tuple[str, list]:
    """`CASE` picking the rate of the band `revenue` reached."""
    whens, params = [], []
    for band in reversed(bands[1:]):
        whens.append(f"WHEN {revenue} >= %s::numeric THEN %s::numeric")
        params += [band.floor, band.rate]
    if not whens:  # a single band: `CASE ELSE … END` is not SQL
        return "(%s::numeric)", [bands[0].rate]
    return f"(CASE {' '.join(whens)} ELSE %s::numeric END)", [*params, bands[0].rate]


def rebate_base_sql(bands, mode: str, revenue: str) -> tuple[str, list]:
    """The unrounded rebate before multiplier and cap (rules.rebate_base)."""
    if mode == "retroactive":
        rate, params = band_rate_sql(bands, revenue)
        return f"({revenue} * {rate} / 100)", params
    parts, params = [], []
    for i, band in enumerate(bands):
        if i + 1 < len(bands):
            parts.append(f"GREATEST(0, LEAST({revenue}, %s::numeric) - %s::numeric) * %s::numeric / 100")
            params += [bands[i + 1].floor, band.floor, band.rate]
        else:
            parts.append(f"GREATEST(0, {revenue} - %s::numeric) * %s::numeric / 100")
            params += [band.floor, band.rate]
    return f"({' + '.join(parts)})", params


def rebate_amount_sql(params: dict, revenue: str, multiplier: str) -> tuple[str, list]:
    """The final, rounded line amount (rules.rebate_compute): bands, × multiplier, cap, ROUND half-up."""
    bands = bands_from(params)
    base, base_params = rebate_base_sql(bands, params["mode"], revenue)
    amount = f"({base} * {multiplier})"
    sql_params = [*base_params]
    if params["cap"] is not None:
        amount = f"LEAST({amount}, %s::numeric)"
        sql_params.append(Decimal(params["cap"]))
    sql = f"(CASE WHEN {revenue} <= 0 OR {revenue} < %s::numeric THEN 0 ELSE ROUND({amount}, 2) END)"
    return sql, [Decimal(params["minimum"]), *sql_params]


VOLUME_TABLE = "incentives_rebate_volume"


def _volume_sql(ctx: RunContext) -> tuple[str, list]:
    """Revenue and sale count per partner of `ctx.partner_ids` in the period, up to the cutoff, with the
    rule's filters. Aggregated first, then joined to the partners: PostgreSQL can aggregate in parallel, and
    testing `partner_id = ANY(<thousands of ids>)` row by row is several times slower (bench/README.md)."""
    params = ctx.params
    filters, filter_params = [], []
    if params["sale_kinds"]:
        filters.append("s.kind = ANY(%s)")
        filter_params.append(params["sale_kinds"])
    product_join = ""
    if params["product_families"]:
        product_join = f"JOIN {Product._meta.db_table} pr ON pr.id = s.product_id"
        filters.append("pr.family = ANY(%s)")
        filter_params.append(params["product_families"])
    where_extra = "".join(f" AND {f}" for f in filters)
    sql = f"""
        SELECT v.partner_id, v.revenue, v.sales
        FROM (
            SELECT s.partner_id, SUM(s.amount) AS revenue, COUNT(*) AS sales
            FROM {SaleRecord._meta.db_table} s {product_join}
            WHERE s.tenant_id = %s AND s.booked_on BETWEEN %s AND %s
              AND s.currency = %s AND s.created_at <= %s{where_extra}
            GROUP BY s.partner_id
        ) v
        JOIN unnest(%s::bigint[]) AS c(partner_id) ON c.partner_id = v.partner_id
    """
    return sql, [ctx.tenant_id, ctx.first_day, ctx.last_day, ctx.currency, ctx.cutoff, *filter_params, ctx.partner_ids]


def prepare(ctx: RunContext) -> list[str]:
    """Every partner's revenue for the whole run in one scan of the sales, into a session temp table that
    the chunks' target queries read (a scan per chunk would read the period's sales once per chunk)."""
    sql, params = _volume_sql(ctx)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{VOLUME_TABLE}")
        cursor.execute(f"CREATE TEMP TABLE {VOLUME_TABLE} AS {sql}", params)
        cursor.execute(f"CREATE UNIQUE INDEX ON pg_temp.{VOLUME_TABLE} (partner_id)")
        cursor.execute(f"ANALYZE pg_temp.{VOLUME_TABLE}")
    return [f"pg_temp.{VOLUME_TABLE}"]


def targets(ctx: RunContext) -> tuple[str, list]:
    params = ctx.params
    if ctx.prepared:
        volume, volume_params = f"SELECT * FROM pg_temp.{VOLUME_TABLE} WHERE partner_id = ANY(%s)", [ctx.partner_ids]
    else:
        volume, volume_params = _volume_sql(ctx)
    multiplier = "COALESCE(t.rebate_multiplier, 1)" if params["use_tier_multiplier"] else "1::numeric"
    amount_sql, amount_params = rebate_amount_sql(params, "v.revenue", multiplier)
    rate_sql, rate_params = band_rate_sql(bands_from(params), "v.revenue")
    sql = f"""
        SELECT p.id AS partner_id, p.id AS recipient_partner_id, NULL::bigint AS recipient_user_id,
               'volume'::text AS source, {amount_sql} AS amount, %s::date AS occurred_on,
               jsonb_build_object(
                   'revenue', v.revenue::text, 'sales', v.sales, 'rate', {rate_sql}::text,
                   'multiplier', ({multiplier})::text, 'tier', t.name, 'mode', %s::text,
                   'first_day', %s::text, 'last_day', %s::text
               ) AS explanation
        FROM ({volume}) v
        JOIN {Partner._meta.db_table} p ON p.id = v.partner_id
        LEFT JOIN {Tier._meta.db_table} t ON t.id = p.tier_id
    """
    sql_params = [
        *amount_params,
        ctx.last_day,
        *rate_params,
        params["mode"],
        ctx.first_day.isoformat(),
        ctx.last_day.isoformat(),
        *volume_params,
    ]
    return sql, sql_params
