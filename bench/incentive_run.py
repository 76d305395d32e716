"""A quarter's volume rebate run of one tenant, end to end, next to a raw SQL `GROUP BY partner` floor over the
same sale lines.

    python bench/incentive_run.py [--repeat 5] [--warmup 1] [--tenant bench-1]

Needs the partners and sales groups of `datagen.py` (M: 10,000 partners and 5,000,000 sale lines per tenant, all
booked in the last closed quarter). Round-robin, in one run, same connection and tenant context:

  run    incentives.services.run_request + run_execute for that quarter, as the worker executes it: app role, RLS,
         eligible partners, chunks of settings.INCENTIVES_RUN_CHUNK_SIZE partners, each one `INSERT … SELECT` of
         the differences against the ledger (band maths, tier multiplier, explanation JSON), progress counters.
         Each repetition runs inside a transaction that is rolled back, so every repetition posts the same lines
         into an empty ledger (and the task enqueued on commit never goes out).
  floor  ONE statement: SUM(amount) and COUNT(*) per partner over the same rows (tenant, quarter, currency,
         eligible partners), no pricing, no writes.

Before timing, the lines of one run are checked against `incentives.rules.rebate_compute` applied to the floor's
revenue per partner with each partner's tier multiplier.
"""

from __future__ import annotations

from decimal import Decimal

import benchlib
from benchlib import SetupError, ms, print_table, ratio

BANDS = [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}, {"from": "250000", "rate": "4"}]
SLUG = "bench-quarterly-rebate"
# The cheapest statement found that gives the same revenue per eligible partner (the bench program's only
# eligibility rule is the partner's status): aggregate (in parallel), then keep the eligible partners. Filtering
# rows with `partner_id = ANY(<8,500 ids>)` first takes 6x longer at M; joining the partners first, 2x.
FLOOR_SQL = """
SELECT v.partner_id, v.revenue, v.sales
FROM (
    SELECT s.partner_id, SUM(s.amount) AS revenue, COUNT(*) AS sales
    FROM deals_salerecord s
    WHERE s.tenant_id = %(tenant)s AND s.booked_on BETWEEN %(first)s AND %(last)s AND s.currency = %(currency)s
    GROUP BY s.partner_id
) v
JOIN partners_partner p ON p.id = v.partner_id
WHERE p.tenant_id = %(tenant)s AND p.status = ANY(%(statuses)s)
"""


def main() -> int:
    parser = benchlib.measurement_parser("A quarter's rebate run against a raw SQL GROUP BY floor over the same rows.")
    parser.set_defaults(repeat=5, warmup=1)
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from datagen import bench_sales_quarter
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from deals.models import SaleRecord
    from incentives.models import IncentiveProgram, LedgerEntry
    from incentives.periods import period_containing
    from incentives.rules import bands_from, rebate_compute
    from incentives.selectors import EARNING_STATUSES, eligible_partners
    from incentives.services import incentive_program_create, run_execute, run_request
    from partners.models import Partner
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    first, last = bench_sales_quarter(timezone.now())
    quarter = period_containing(first, "quarter")
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); quarter {quarter.key}; {args.repeat} repetitions after "
          f"{args.warmup} warm-up; chunks of {settings.INCENTIVES_RUN_CHUNK_SIZE:,} partners")  # fmt: skip

    with tenant_context(tenant):
        lines_in_quarter = SaleRecord.objects.filter(booked_on__range=(first, last)).count()
        if not lines_in_quarter:
            raise SetupError(f"{tenant.slug} has no sale lines in {quarter.key}: run `python bench/datagen.py` first.")
        program = IncentiveProgram.objects.filter(slug=SLUG).first()
        if program is None:
            with transaction.atomic():
                program = incentive_program_create(
                    actor=None,
                    params={"bands": BANDS, "mode": "retroactive", "use_tier_multiplier": True},
                    name="Bench quarterly rebate",
                    slug=SLUG,
                    kind="rebate",
                    currency=tenant.currency,
                    period_scheme="quarter",
                    starts_on=quarter.starts_on,
                    status="active",
                )
        elif program.starts_on > quarter.starts_on:
            IncentiveProgram.objects.filter(pk=program.pk).update(starts_on=quarter.starts_on)
            program.refresh_from_db()
        if LedgerEntry.objects.filter(program=program).exists():
            raise SetupError(
                f"{SLUG} has committed ledger lines; the bench expects an empty ledger (rerun datagen --reset)"
            )
        eligible = sorted(eligible_partners(program).values_list("pk", flat=True))
        partners_total = Partner.objects.count()
        if program.eligible_program_ids or program.eligible_tier_ids or program.eligible_types:
            raise SetupError(f"{SLUG} has eligibility filters the floor does not apply; delete the program")
        statuses = list(EARNING_STATUSES)
        params = {"tenant": tenant.pk, "statuses": statuses, "first": first, "last": last, "currency": tenant.currency}
        multipliers = {
            pk: m if m is not None else Decimal(1)
            for pk, m in Partner.objects.filter(pk__in=eligible).values_list("pk", "tier__rebate_multiplier")
        }

        outcome = {}

        def run_once():
            with transaction.atomic():
                run = run_execute(run_id=run_request(program=program, period_key=quarter.key, kind="manual").pk)
                if run.status != "succeeded":
                    raise SetupError(f"the run ended {run.status}: {run.error}")
                outcome["run"] = (run.lines_posted, run.amount_posted, run.chunks_total, run.recipients)
                if "ledger" not in outcome:
                    rows = LedgerEntry.objects.filter(program=program).values_list("partner_id", "amount")
                    outcome["ledger"] = dict(rows)
                transaction.set_rollback(True)

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, params)
                return cursor.fetchall()

        run_once()
        rows = floor()
        bands = bands_from(program.rule_versions.get(version=1).params)
        expected = {}
        for partner_id, revenue, _sales in rows:
            amount = rebate_compute(revenue, bands, mode="retroactive", multiplier=multipliers[partner_id]).amount
            if amount:
                expected[partner_id] = amount
        if expected != outcome["ledger"]:
            wrong = len(set(expected.items()) ^ set(outcome["ledger"].items()))
            raise SetupError(f"the run's lines disagree with rules.rebate_compute over the floor's revenue ({wrong})")
        print(f"checked: {len(expected):,} lines equal rules.rebate_compute over the floor's revenue per partner")

        meter = benchlib.CpuMeter()
        stats = benchlib.measure({"run": run_once, "floor": floor}, repeat=args.repeat, warmup=args.warmup)

    lines, amount, chunks, recipients = outcome["run"]
    read = sum(sales for _pk, _revenue, sales in rows)
    print_table(
        ["sale lines in quarter", "read by the run", "partners", "eligible", "chunks", "lines posted", "amount"],
        [
            (
                f"{lines_in_quarter:,}",
                f"{read:,}",
                f"{partners_total:,}",
                f"{len(eligible):,}",
                f"{chunks:,}",
                f"{lines:,}",
                f"{amount:,} {tenant.currency}",
            )
        ],
        title="data",
    )
    print_table(
        ["variant", "median", "p95", "/ floor"],
        [
            (name, ms(stats[key].median), ms(stats[key].p95), ratio(stats[key].median, stats["floor"].median))
            for name, key in (("rebate run (end to end)", "run"), ("SQL floor (GROUP BY partner)", "floor"))
        ],
        title="timings (ms)",
    )
    within = stats["run"].median <= 2 * stats["floor"].median
    print(f"\ntarget: run within 2x of the floor: {'met' if within else 'NOT met'}")
    print(f"CPU busy while measuring: {meter.busy()}")
    return 0


if __name__ == "__main__":
    benchlib.run(main)
