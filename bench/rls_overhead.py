"""What tenant isolation costs per query: the app's ORM queries under RLS against the same SQL without RLS.

    python bench/rls_overhead.py [--repeat 30] [--warmup 3] [--tenant bench-1] [--plans]

For each query, in the same run and round-robin (so drift hits every variant alike):

  app      the ORM call as the app runs it: app role, inside tenant_context (manager filter + RLS policy);
  app SQL  that query's exact SQL text on the same app connection, same context (RLS, no ORM);
  RLS only the same SQL with its explicit `tenant_id = <id>` removed, same connection and context: what a
           query that relies on the policy alone (raw SQL, a forgotten filter) gets;
  floor    the same SQL text (with its explicit `tenant_id = <id>`) on the OWNER connection inside a
           transaction, role unchanged: the owner's platform policy admits every row, so the tenant policy
           plays no part.

app/floor is what the app pays in total (ORM + RLS); SQL/floor isolates the RLS policy. Each query's
EXPLAIN (ANALYZE, BUFFERS) is taken once per SQL variant: where the RLS qual ended up (one-time filter,
index condition or per-row filter) and which index was used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import benchlib
from benchlib import SetupError, ms, print_table, ratio


@dataclass(frozen=True)
class Query:
    name: str
    table: str
    run: Callable[[], object]  # the ORM call; must issue exactly one SQL query


def build_queries(role: str, since) -> list[Query]:
    from prm.accounts.models import Membership
    from prm.audit.models import AuditEvent
    from prm.audit.selectors import audit_event_recent

    return [
        Query(
            "audit: count since 30 days",
            "audit_auditevent",
            lambda: AuditEvent.objects.filter(created_at__gte=since).count(),
        ),
        Query("audit: count all", "audit_auditevent", lambda: AuditEvent.objects.count()),
        Query(
            "audit: recent 50 (-created_at)",
            "audit_auditevent",
            lambda: list(AuditEvent.objects.order_by("-created_at")[:50]),
        ),
        Query("audit: recent 50 (selector)", "audit_auditevent", lambda: list(audit_event_recent(limit=50))),
        Query(
            f"members: count role={role}",
            "accounts_membership",
            lambda: Membership.objects.filter(role=role).count(),
        ),
    ]


def capture_sql(query: Query) -> tuple[str, object]:
    """Run the ORM call once; return the exact SQL text it sent and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = query.run()
    if len(captured.captured_queries) != 1:
        raise SetupError(f"{query.name}: expected one SQL query, got {len(captured.captured_queries)}")
    return captured.captured_queries[0]["sql"], result


def without_tenant_filter(sql: str, table: str, tenant_id: int) -> str:
    """The captured SQL minus the manager's `"<table>"."tenant_id" = <id>` conjunct."""
    conjunct = f'"{table}"."tenant_id" = {tenant_id}'
    stripped = sql.replace(f"({conjunct} AND ", "(").replace(f" WHERE {conjunct}", "")
    if conjunct in stripped or stripped == sql:
        raise SetupError(f"could not remove the tenant filter from: {sql}")
    return stripped


def fetch(connection_, sql: str) -> list[tuple]:
    with connection_.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def comparable(result) -> object:
    """ORM result and raw rows, reduced to something comparable (a count, or the list of ids)."""
    if isinstance(result, int):
        return result
    if result and hasattr(result[0], "pk"):
        return [obj.pk for obj in result]
    if result and len(result[0]) == 1:
        return result[0][0]
    return [row[0] for row in result]


def explain(connection_, sql: str) -> list[str]:
    return benchlib.explain(connection_, sql, "ANALYZE, BUFFERS, COSTS OFF, TIMING OFF")


def plan_summary(lines: list[str]) -> dict[str, str]:
    """Top node, indexes used and where the RLS qual (current_setting) landed."""
    top = lines[0].strip()
    indexes = sorted({line.split(" using ")[1].split(" on ")[0] for line in lines if " using " in line})
    rls = "absent"
    for line in lines:
        if "current_setting" in line:
            kind = line.strip().split(":")[0]
            rls = {
                "One-Time Filter": "one-time filter",
                "Index Cond": "index cond",
                "Recheck Cond": "index cond (bitmap)",
                "Filter": "per-row filter",
            }.get(kind, kind)
            break
    buffers = next((line.strip() for line in lines if line.strip().startswith("Buffers:")), "")
    return {"top": top, "indexes": ", ".join(indexes) or "none (seq scan)", "rls": rls, "buffers": buffers}


def main() -> int:
    parser = benchlib.measurement_parser("Cost of the ORM + RLS against the same SQL without RLS.")
    parser.add_argument("--role", default="channel_manager", help="membership role counted (default channel_manager)")
    parser.add_argument("--plans", action="store_true", help="print the full EXPLAIN output of every query")
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from django.db import connection, connections, transaction
    from django.utils import timezone

    from prm.accounts.models import Membership
    from prm.audit.models import AuditEvent
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    owner = connections["owner"]
    since = timezone.now() - timedelta(days=30)
    queries = build_queries(args.role, since)
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} repetitions after {args.warmup} warm-up")

    connection.ensure_connection()
    results, plans = [], []
    with tenant_context(tenant), transaction.atomic(using="owner"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_setting('prm.tenant_id', true)")
            app_user, app_tenant = cursor.fetchone()
        with owner.cursor() as cursor:
            cursor.execute("SELECT current_user, current_setting('prm.tenant_id', true)")
            owner_user, owner_tenant = cursor.fetchone()
        print(f"app: {app_user} with prm.tenant_id={app_tenant!r}; floor: {owner_user} with {owner_tenant or 'none'!r}")

        sizes = [
            ("audit_auditevent", AuditEvent.objects.count(), fetch(owner, "SELECT count(*) FROM audit_auditevent")),
            (
                "accounts_membership",
                Membership.objects.count(),
                fetch(owner, "SELECT count(*) FROM accounts_membership"),
            ),
        ]
        if sizes[0][1] == 0:
            raise SetupError(f"{tenant.slug} has no audit events: run `python bench/datagen.py` first.")

        meter = benchlib.CpuMeter()
        for query in queries:
            sql, orm_result = capture_sql(query)
            rls_sql = without_tenant_filter(sql, query.table, tenant.pk)
            expected = comparable(orm_result)
            checks = (("app SQL", connection, sql), ("RLS only", connection, rls_sql), ("floor", owner, sql))
            for name, conn, text in checks:
                if comparable(fetch(conn, text)) != expected:
                    raise SetupError(f"{query.name}: {name} disagrees with the ORM; comparing them is meaningless")
            stats = benchlib.measure(
                {
                    "app": query.run,
                    "app_sql": lambda sql=sql: fetch(connection, sql),
                    "rls_only": lambda rls_sql=rls_sql: fetch(connection, rls_sql),
                    "floor": lambda sql=sql: fetch(owner, sql),
                },
                repeat=args.repeat,
                warmup=args.warmup,
            )
            results.append((query, expected if isinstance(expected, int) else len(expected), stats))
            plans.append(
                (
                    query,
                    [
                        ("app SQL", sql, explain(connection, sql)),
                        ("RLS only", rls_sql, explain(connection, rls_sql)),
                        ("floor", sql, explain(owner, sql)),
                    ],
                )
            )

    print_table(
        ["table", f"{tenant.slug} rows", "all tenants"],
        [(name, f"{mine:,}", f"{total[0][0]:,}") for name, mine, total in sizes],
        title="data",
    )
    print_table(
        ["query", "result", "app", "app p95", "app SQL", "RLS only", "floor", "fl p95", "app/fl", "SQL/fl", "RLS/fl"],
        [
            (
                q.name,
                f"{n:,}",
                ms(s["app"].median),
                ms(s["app"].p95),
                ms(s["app_sql"].median),
                ms(s["rls_only"].median),
                ms(s["floor"].median),
                ms(s["floor"].p95),
                ratio(s["app"].median, s["floor"].median),
                ratio(s["app_sql"].median, s["floor"].median),
                ratio(s["rls_only"].median, s["floor"].median),
            )
            for q, n, s in results
        ],
        title="timings (ms: medians unless p95; ratios of medians to the floor)",
    )
    rows = []
    for query, variants in plans:
        for index, (side, _sql, lines) in enumerate(variants):
            summary = plan_summary(lines)
            rows.append((query.name if index == 0 else "", side, summary["top"], summary["indexes"], summary["rls"]))
    print_table(["query", "SQL", "top plan node", "index", "RLS qual"], rows, title="plans (EXPLAIN ANALYZE)")
    busy = meter.busy()
    print(f"\nCPU busy while measuring: {busy} (this bench + its backends: about one CPU, more for parallel plans)")
    if args.plans:
        for query, variants in plans:
            print(f"\n--- {query.name}")
            for side, sql, lines in variants:
                print(f"  [{side}] {sql}")
                for line in lines:
                    print(f"    {line}")
    return 0


if __name__ == "__main__":
    benchlib.run(main)
