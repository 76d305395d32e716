"""The daily tier evaluation of one tenant, end to end, next to the raw SQL floor for the same metric values.

    python bench/tier_evaluation.py [--repeat 10] [--warmup 2] [--tenant bench-1]

Needs the partners table group of `datagen.py` (M = 10,000 partners per tenant). Round-robin, in one run:

  evaluate   partners.services.tier_evaluate(today=…) as the Celery task runs it: app role, tenant context, RLS;
             run guard, metric values (one query per metric), decisions in Python, bulk writes of tier changes
             and partner updates, audit event. Each repetition runs in a transaction that is rolled back, so
             every repetition does the same work (and the notification tasks, enqueued on commit, never go out).
  metrics    only the metric part of it: metric_values_for() over the same partners (ORM, one query per metric).
  SQL floor  ONE hand-written SQL statement computing the same four metric values for the same partners, on the
             same connection and context. Its result is checked against the ORM's before timing.
"""

from __future__ import annotations

from decimal import Decimal

import benchlib
from benchlib import SetupError, ms, print_table, ratio

FLOOR_SQL = """
SELECT p.id,
       GREATEST(%(today)s::date - (p.joined_at AT TIME ZONE %(tz)s)::date, 0) AS days_since_joining,
       CASE WHEN (p.status = 'active' AND p.onboarded_at IS NOT NULL) OR COALESCE(s.required, 0) = COALESCE(s.done, 0)
            THEN 1 ELSE 0 END AS onboarding_complete,
       COALESCE(u.reps, 0) AS active_reps,
       COALESCE(u.users, 0) AS active_users
FROM partners_partner p
LEFT JOIN (
    SELECT partner_id, count(*) FILTER (WHERE is_required) AS required,
           count(*) FILTER (WHERE is_required AND completed_at IS NOT NULL) AS done
    FROM partners_onboardingstep WHERE tenant_id = %(tenant)s GROUP BY partner_id
) s ON s.partner_id = p.id
LEFT JOIN (
    SELECT pu.partner_id, count(*) FILTER (WHERE m.role = 'partner_rep') AS reps, count(*) AS users
    FROM partners_partneruser pu JOIN accounts_membership m ON m.id = pu.membership_id
    WHERE pu.tenant_id = %(tenant)s AND m.is_active AND m.role IN ('partner_admin', 'partner_rep')
    GROUP BY pu.partner_id
) u ON u.partner_id = p.id
WHERE p.tenant_id = %(tenant)s AND p.status IN ('onboarding', 'active')
"""
KEYS = ("days_since_joining", "onboarding_complete", "active_reps", "active_users")


def floor_values(cursor, params) -> dict[int, dict[str, Decimal]]:
    cursor.execute(FLOOR_SQL, params)
    return {row[0]: {key: Decimal(value) for key, value in zip(KEYS, row[1:], strict=True)} for row in cursor}


def main() -> int:
    parser = benchlib.measurement_parser("Daily tier evaluation against the raw SQL floor of its metric values.")
    parser.set_defaults(repeat=10, warmup=2)
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from partners.models import Partner, TierChange
    from partners.selectors import metric_values_for
    from partners.services import tier_evaluate
    from partners.services.tiers import EVALUATED_STATUSES
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} repetitions after {args.warmup} warm-up")

    with tenant_context(tenant):
        today = timezone.localdate()
        partners = Partner.objects.filter(status__in=EVALUATED_STATUSES)
        total = Partner.objects.count()
        evaluated = partners.count()
        if total == 0:
            raise SetupError(f"{tenant.slug} has no partners: run `python bench/datagen.py --scale M` first.")
        params = {"today": today, "tz": timezone.get_current_timezone_name(), "tenant": tenant.pk}

        orm = metric_values_for(partners, KEYS, as_of=today)
        with connection.cursor() as cursor:
            floor = floor_values(cursor, params)
        disagree = [
            pk
            for pk, values in floor.items()
            if any(orm.get(pk, {}).get(key, Decimal(0)) != value for key, value in values.items())
        ]
        if disagree or set(orm) - set(floor):
            raise SetupError("the SQL floor disagrees with the metric providers; comparing them is meaningless")

        outcome = {}

        def evaluate():
            with transaction.atomic():
                run = tier_evaluate(today=today)
                outcome["run"] = run.partners_evaluated, run.changes
                outcome["pending"] = TierChange.objects.filter(status="pending", evaluated_on=today).count()
                transaction.set_rollback(True)

        def metrics():
            metric_values_for(partners, KEYS, as_of=today)

        def sql_floor():
            with connection.cursor() as cursor:
                floor_values(cursor, params)

        meter = benchlib.CpuMeter()
        stats = benchlib.measure(
            {"evaluate": evaluate, "metrics": metrics, "floor": sql_floor}, repeat=args.repeat, warmup=args.warmup
        )

    partners_evaluated, changes = outcome["run"]
    print_table(
        ["partners", "evaluated (onboarding/active)", "tier changes per run", "of which pending approval"],
        [(f"{total:,}", f"{partners_evaluated:,}", f"{changes:,}", f"{outcome['pending']:,}")],
        title="data",
    )
    if partners_evaluated != evaluated:
        raise SetupError(f"evaluated {partners_evaluated} partners, expected {evaluated}")
    print_table(
        ["variant", "median", "p95", "/ floor"],
        [
            (name, ms(stats[key].median), ms(stats[key].p95), ratio(stats[key].median, stats["floor"].median))
            for name, key in (
                ("tier_evaluate (end to end)", "evaluate"),
                ("metric values (ORM)", "metrics"),
                ("SQL floor (one statement)", "floor"),
            )
        ],
        title="timings (ms)",
    )
    print(f"\nCPU busy while measuring: {meter.busy()}")
    return 0


if __name__ == "__main__":
    benchlib.run(main)
