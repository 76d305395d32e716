"""The leaderboard API (`GET /api/v1/leaderboards/`) at scale, next to the raw SQL floor of the same board read.

    python bench/leaderboard_api.py [--repeat 30] [--warmup 3] [--tenant bench-1] [--period 2026] [--metric deals_won]
                                    [--no-refresh]

Needs the partners and deals groups of `datagen.py` (M: 10,000 partners and 1,000,000 registrations per tenant).

  refresh    first, unless --no-refresh: `incentives.services.leaderboard_refresh(period_key=…)` for the period, as
             the after-run hook and the beat task run it (every metric and scope: one DELETE + INSERT … SELECT
             with rank() each), timed once, with the rows written per metric and scope. A leaderboard is served
             from these snapshots only.
  requests   Django's test client (full middleware stack, no HTTP server) on the tenant's host, `Authorization:
             Bearer` tokens issued for the run and deleted after it:
               vendor top 10 / top 100 / top 10 filtered by region (ranked again with a window function) / reps,
               as the tenant admin (member 1);
               partner: the published board as a partner admin whose company ranks outside the top 10 (top 10,
               others anonymised, own standing). Publication is switched on for the run and restored after it.
  floor      per request, the hand-written SQL of the same read on the same app connection and tenant context
             (RLS applies): the snapshot rows with the partner names (and the own standing for the partner).
  live       for scale: ranking the same metric on read from the source rows (the snapshot's INSERT … SELECT's
             SELECT, LIMIT 10), which is what the snapshots save each request.
  reference  GET /api/v1/me with the same token: the smallest authenticated API request, to read the figures
             against the machine's load.
"""

from __future__ import annotations

import time

import benchlib
from benchlib import SetupError, ms, print_table, ratio

TOP_SQL = """
SELECT s.rank, s.value, p.name, u.email
FROM incentives_leaderboardsnapshot s
JOIN partners_partner p ON p.id = s.partner_id
LEFT JOIN accounts_user u ON u.id = s.user_id
WHERE s.tenant_id = %(tenant)s AND s.period = %(period)s AND s.metric = %(metric)s AND s.scope = %(scope)s
ORDER BY s.rank, s.id
LIMIT %(limit)s
"""
FILTERED_SQL = """
SELECT rank() OVER (ORDER BY s.value DESC) AS position, s.value, p.name
FROM incentives_leaderboardsnapshot s
JOIN partners_partner p ON p.id = s.partner_id
WHERE s.tenant_id = %(tenant)s AND s.period = %(period)s AND s.metric = %(metric)s AND s.scope = %(scope)s
  AND s.regions_at @> ARRAY[%(region)s]::varchar[]
ORDER BY 1, s.id
LIMIT %(limit)s
"""
OWN_SQL = """
SELECT s.rank, s.value, p.name
FROM incentives_leaderboardsnapshot s JOIN partners_partner p ON p.id = s.partner_id
WHERE s.tenant_id = %(tenant)s AND s.period = %(period)s AND s.metric = %(metric)s AND s.scope = %(scope)s
  AND s.partner_id = %(partner)s AND s.user_id IS NULL
"""


def check(response, what: str) -> dict:
    if response.status_code != 200:
        raise SetupError(f"{what} answered {response.status_code}, not 200: {response.content[:300]!r}")
    return response.json()


def query_count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def partner_admin_outside_top(tenant, *, period: str, metric: str):
    """An active partner admin whose company has a snapshot row ranked below 10 (its own standing is shown)."""
    from incentives.models import LeaderboardSnapshot
    from partners.models import PartnerUser
    from prm.accounts.roles import Role
    from prm.tenancy.context import tenant_context

    with tenant_context(tenant):
        ranked = LeaderboardSnapshot.objects.filter(period=period, metric=metric, scope="partner", rank__gt=10)
        link = (
            PartnerUser.objects.filter(
                partner_id__in=ranked.values("partner_id"),
                membership__role=Role.PARTNER_ADMIN,
                membership__is_active=True,
            )
            .select_related("membership__user")
            .order_by("partner_id")
            .first()
        )
    if link is None:
        raise SetupError(
            f"no partner admin ranked below 10 on {metric} {period}: run bench/datagen.py (partners, deals)."
        )
    return link.membership, link.partner_id


def main() -> int:
    parser = benchlib.measurement_parser("Leaderboard API p95 against the raw SQL floor of the same snapshot read.")
    parser.add_argument("--period", default=None, help="period key (default: the current year)")
    parser.add_argument("--metric", default="deals_won", help="metric measured (default deals_won)")
    parser.add_argument("--region", default="europe", help="region of the filtered board (default europe)")
    parser.add_argument("--no-refresh", action="store_true", help="measure the existing snapshots")
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup(check_redis=True)
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client
    from django.utils import timezone

    from incentives.leaderboard_metrics import SourceArgs, leaderboard_metric
    from incentives.models import IncentiveSettings, LeaderboardSnapshot
    from incentives.services import leaderboard_refresh
    from partners.models import Partner
    from prm.accounts.models import Membership
    from prm.accounts.roles import Role
    from prm.api.models import ApiToken
    from prm.api.services import api_token_issue
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    metric = leaderboard_metric(args.metric)
    if metric is None:
        raise SetupError(f"unknown metric {args.metric!r}")
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} repetitions after {args.warmup} warm-up")

    with tenant_context(tenant):
        partners = Partner.objects.count()
        if partners == 0:
            raise SetupError(f"{tenant.slug} has no partners: run `python bench/datagen.py --scale M` first.")
        period = args.period or str(timezone.localdate().year)
        if not args.no_refresh:
            started = time.perf_counter()
            written = leaderboard_refresh(period_key=period)
            elapsed = time.perf_counter() - started
            print(f"\nrefresh of {period}: {written:,} snapshot rows in {ms(elapsed)} ms (all metrics and scopes)")
            # Statistics as autovacuum would leave them after a refresh (the owner may ANALYZE, the app role not).
            with connections["owner"].cursor() as cursor:
                cursor.execute(f"ANALYZE {LeaderboardSnapshot._meta.db_table}")
            connections["owner"].close()
        counts = {}
        for row in LeaderboardSnapshot.objects.filter(period=period).values_list("metric", "scope"):
            counts[row] = counts.get(row, 0) + 1
        print_table(
            ["metric", "scope", "rows"],
            [(m, s, f"{n:,}") for (m, s), n in sorted(counts.items())],
            title=f"snapshots of {period} ({partners:,} partners)",
        )
        if not counts.get((metric.key, "partner")):
            raise SetupError(f"no {metric.key} snapshot rows for {period}: choose another --period or --metric.")
        admin = Membership.objects.filter(user__email=benchlib.member_email(tenant.slug, 1)).first()
        if admin is None or admin.role != Role.TENANT_ADMIN or not admin.is_active:
            raise SetupError(f"member 1 of {tenant.slug} is not an active tenant admin: run bench/datagen.py first.")
        settings_row, _created = IncentiveSettings.objects.get_or_create()
        published_before = settings_row.leaderboard_published
        IncentiveSettings.objects.filter(pk=settings_row.pk).update(leaderboard_published=True)
    partner_membership, partner_id = partner_admin_outside_top(tenant, period=period, metric=metric.key)
    with tenant_context(tenant):
        admin_token, admin_raw = api_token_issue(user=admin.user, name="bench leaderboard_api")
        partner_token, partner_raw = api_token_issue(user=partner_membership.user, name="bench leaderboard_api")

    host = f"{tenant.slug}.{settings.PRM_BASE_DOMAIN}"
    vendor = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {admin_raw}")
    partner = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {partner_raw}")
    base = f"/api/v1/leaderboards/?metric={metric.key}&period={period}"
    params = {"tenant": tenant.pk, "period": period, "metric": metric.key, "scope": "partner", "limit": 10}

    def floor(sql, **extra):
        def read():
            with tenant_context(tenant), connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement, {**params, **extra})
                    cursor.fetchall()

        return read

    source_sql, source_params = metric.sources["partner"](
        SourceArgs(tenant.pk, tenant.currency, tenant.timezone, *_period_days(period))
    )
    live_sql = f"SELECT v.*, rank() OVER (ORDER BY v.value DESC) FROM ({source_sql}) v ORDER BY v.value DESC LIMIT 10"

    def live():
        with tenant_context(tenant), connection.cursor() as cursor:
            cursor.execute(live_sql, source_params)
            cursor.fetchall()

    requests = {
        "vendor top 10": (lambda: vendor.get(f"{base}&by=partner"), floor([TOP_SQL])),
        "vendor top 100": (lambda: vendor.get(f"{base}&by=partner&limit=100"), floor([TOP_SQL], limit=100)),
        f"vendor top 10, region {args.region}": (
            lambda: vendor.get(f"{base}&by=partner&region={args.region}"),
            floor([FILTERED_SQL], region=args.region),
        ),
        "vendor reps top 10": (lambda: vendor.get(f"{base}&by=rep"), floor([TOP_SQL], scope="rep")),
        "partner (published, own rank)": (
            lambda: partner.get(f"{base}&by=partner"),
            floor([TOP_SQL, OWN_SQL], partner=partner_id),
        ),
    }
    meter = benchlib.CpuMeter()
    try:
        own = check(partner.get(f"{base}&by=partner"), "partner board")["own"]
        for name, (request, _floor) in requests.items():
            check(request(), name)
        variants = {}
        for name, (request, sql_floor) in requests.items():
            variants[name] = request
            variants[f"{name} (floor)"] = sql_floor
        variants["live ranking on read"] = live
        variants["reference GET /api/v1/me"] = lambda: vendor.get("/api/v1/me")
        stats = benchlib.measure(variants, repeat=args.repeat, warmup=args.warmup)
        queries = {name: query_count(request) for name, (request, _floor) in requests.items()}
    finally:
        with tenant_context(tenant):
            ApiToken.objects.filter(pk__in=[admin_token.pk, partner_token.pk]).delete()
            IncentiveSettings.objects.filter(pk=settings_row.pk).update(leaderboard_published=published_before)

    print(f"\npartner measured: id {partner_id}, own rank {own['rank'] if own else '—'}")
    rows = []
    for name in requests:
        request, sql_floor = stats[name], stats[f"{name} (floor)"]
        rows.append(
            (
                name,
                queries[name],
                ms(request.median),
                ms(request.p95),
                ms(sql_floor.median),
                ms(sql_floor.p95),
                ratio(request.median, sql_floor.median),
                ratio(request.p95, sql_floor.p95),
            )
        )
    print_table(
        ["request", "queries", "med", "p95", "floor med", "floor p95", "med/floor", "p95/floor"],
        rows,
        title="timings (ms; median and nearest-rank p95)",
    )
    live_stats = stats["live ranking on read"]
    print(
        f"\nlive ranking of {metric.key} on read (no snapshot): median {ms(live_stats.median)}, "
        f"p95 {ms(live_stats.p95)} ms"
    )
    reference = stats["reference GET /api/v1/me"]
    print(
        f"reference GET /api/v1/me (the smallest authenticated API request, for the machine's load): "
        f"median {ms(reference.median)}, p95 {ms(reference.p95)} ms"
    )
    worst = max(stats[name].p95 for name in requests)
    print(f"worst API p95: {ms(worst)} ms (target: under 50 ms at M)")
    print(f"CPU busy while measuring: {meter.busy()}")
    return 0


def _period_days(key: str):
    from incentives.periods import parse_period

    period = parse_period(key)
    return period.starts_on, period.ends_on


if __name__ == "__main__":
    benchlib.run(main)
