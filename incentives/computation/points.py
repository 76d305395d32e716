"""Activity points targets: one line per event of each kind the rule version prices.

Events come from the event-kind registry (`incentives.event_kinds`). Award to the rep: the event's
user (events without one earn nothing); to the partner: the partner company. A kind's cap is per
recipient per period: a running sum per (recipient, kind) ordered by (occurred_on, reference), shorter
references first so that numeric ids sort as numbers; the line that crosses the cap is cut
(`rules.capped_running`). Kinds the registry does not know (an app no longer installed) are skipped.
"""

from ..event_kinds import event_kind
from .context import RunContext


def _events_sql(ctx: RunContext) -> tuple[str, list]:
    parts, params = [], []
    for key, points in ctx.params["points"].items():
        kind = event_kind(key)
        if kind is None:
            continue
        source_sql, source_params = kind.source(
            tenant_id=ctx.tenant_id,
            first_day=ctx.first_day,
            last_day=ctx.last_day,
            cutoff=ctx.cutoff,
            partner_ids=ctx.partner_ids,
        )
        parts.append(
            f"SELECT e.partner_id, e.user_id, e.occurred_on, e.reference::text AS reference, "
            f"%s::text AS kind, %s::numeric AS points, %s::numeric AS cap FROM ({source_sql}) e"
        )
        params += [key, points, ctx.params["caps"].get(key), *source_params]
    if not parts:
        return (
            "SELECT NULL::bigint AS partner_id, NULL::bigint AS user_id, NULL::date AS occurred_on, "
            "NULL::text AS reference, NULL::text AS kind, NULL::numeric AS points, NULL::numeric AS cap WHERE false"
        ), []
    return " UNION ALL ".join(parts), params


def targets(ctx: RunContext) -> tuple[str, list]:
    events_sql, events_params = _events_sql(ctx)
    if ctx.award_to == "rep":
        recipient = "NULL::bigint AS recipient_partner_id, e.user_id AS recipient_user_id"
        recipient_key, where = "e.user_id", "WHERE e.user_id IS NOT NULL"
    else:
        recipient = "e.partner_id AS recipient_partner_id, NULL::bigint AS recipient_user_id"
        recipient_key, where = "e.partner_id", ""
    paid = "CASE WHEN l.cap IS NULL THEN l.points ELSE GREATEST(0, LEAST(l.points, l.cap - (l.running - l.points))) END"
    sql = f"""
        SELECT l.partner_id, l.recipient_partner_id, l.recipient_user_id,
               'event:' || l.kind || ':' || l.reference AS source, {paid} AS amount, l.occurred_on,
               jsonb_build_object(
                   'event_kind', l.kind, 'reference', l.reference, 'occurred_on', l.occurred_on::text,
                   'points', l.points::text, 'cap', l.cap::text, 'earned_before', (l.running - l.points)::text,
                   'capped', {paid} < l.points
               ) AS explanation
        FROM (
            SELECT e.partner_id, {recipient}, e.occurred_on, e.reference, e.kind, e.points, e.cap,
                   SUM(e.points) OVER (
                       PARTITION BY {recipient_key}, e.kind ORDER BY e.occurred_on, length(e.reference), e.reference
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                   ) AS running
            FROM ({events_sql}) e
            {where}
        ) l
    """
    return sql, events_params
