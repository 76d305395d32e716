"""The MDF ROI report (`mdf.selectors.mdf_roi`) at scale, next to one hand-written SQL statement of the same figures.

    python bench/mdf_roi.py [--repeat 10] [--warmup 2] [--tenant bench-1] [--campaigns 2000] [--leads 20]

Needs the partners and deals groups of `datagen.py` (M: 10,000 partners and 1,000,000 registrations per tenant).

  campaigns  made once in the measured tenant (kept, like incentive_run's program): a fund `bench-roi` of the last
             closed quarter, seven activity types, `--campaigns` approved requests (one per active partner), claims
             for four in five (approved, partially approved or paid; the rest none), `--leads` accepted leads per
             campaign tied to it, and every fourth of those leads given one of the tenant's registrations that is not
             a draft (won ones bring their won amount). Then ANALYZE as the owner, as autovacuum would.
  report     `mdf_roi(requests=…, group_by=…)` for each grouping, on the app connection in the tenant's context
             (RLS applies), as the page and the API call it: two queries and the grouping in Python.
  floor      one SQL statement computing campaigns, spend, leads, deals, won and revenue per activity type over
             the same rows (checked equal to the report's before timing).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import benchlib
from benchlib import SetupError, ms, print_table, ratio

FUND = "bench-roi"
TYPES = ("webinar", "event", "digital", "radio-print", "syndication", "training", "other")
FLOOR_SQL = """
WITH campaigns AS (
    SELECT r.id, r.activity_type_id
    FROM mdf_mdfrequest r
    WHERE r.tenant_id = %(tenant)s AND r.status IN ('approved', 'partially_approved')
), spend AS (
    SELECT c.request_id, sum(c.approved_amount) AS spend
    FROM mdf_mdfclaim c
    WHERE c.tenant_id = %(tenant)s AND c.status IN ('approved', 'partially_approved', 'paid')
    GROUP BY c.request_id
), leads AS (
    SELECT l.request_id, count(*) AS leads FROM mdf_campaignlead l WHERE l.tenant_id = %(tenant)s GROUP BY l.request_id
), outcomes AS (
    SELECT l.request_id, count(*) AS deals, count(*) FILTER (WHERE d.status = 'won') AS won,
           sum(d.closed_amount) FILTER (WHERE d.status = 'won' AND d.currency = %(currency)s) AS revenue
    FROM mdf_campaignlead l JOIN deals_deal d ON d.tenant_id = %(tenant)s AND d.lead_id = l.lead_id
    WHERE l.tenant_id = %(tenant)s AND d.status <> 'draft'
    GROUP BY l.request_id
)
SELECT t.key, count(*) AS campaigns, coalesce(sum(s.spend), 0), coalesce(sum(l.leads), 0),
       coalesce(sum(o.deals), 0), coalesce(sum(o.won), 0), coalesce(sum(o.revenue), 0)
FROM campaigns c
JOIN mdf_activitytype t ON t.id = c.activity_type_id
LEFT JOIN spend s ON s.request_id = c.id
LEFT JOIN leads l ON l.request_id = c.id
LEFT JOIN outcomes o ON o.request_id = c.id
GROUP BY t.key
ORDER BY t.key
"""
LINK_DEALS_SQL = """
WITH l AS (
    SELECT lead_id, row_number() OVER (ORDER BY lead_id) AS rn
    FROM mdf_campaignlead WHERE tenant_id = %(tenant)s
), d AS (
    SELECT id, row_number() OVER (ORDER BY id) AS rn
    FROM deals_deal WHERE tenant_id = %(tenant)s AND status <> 'draft' AND lead_id IS NULL
)
UPDATE deals_deal SET lead_id = l.lead_id
FROM l JOIN d ON d.rn = l.rn / 4
WHERE deals_deal.id = d.id AND l.rn %% 4 = 0
"""


def last_closed_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_of_this = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    last = first_of_this - datetime.timedelta(days=1)
    return last.replace(month=3 * ((last.month - 1) // 3) + 1, day=1), last


def make_campaigns(tenant, *, campaigns: int, leads_per_campaign: int) -> None:
    """The bench campaigns of the measured tenant, made once (a tenant that has the fund keeps what it has)."""
    from django.db import connection, connections, transaction
    from django.utils import timezone

    from deals.models import Lead
    from mdf.models import ActivityType, Allocation, CampaignLead, Fund, MdfClaim, MdfRequest
    from partners.models import Partner, PartnerStatus

    if Fund.objects.filter(name=FUND).exists():
        return
    partners = list(Partner.objects.filter(status=PartnerStatus.ACTIVE).order_by("pk")[:campaigns])
    if len(partners) < campaigns:
        raise SetupError(f"{tenant.slug} has {len(partners)} active partners; ask for at most that many campaigns.")
    starts, ends = last_closed_quarter(timezone.localdate())
    now = timezone.now()
    with transaction.atomic():
        fund = Fund.objects.create(
            name=FUND, starts_on=starts, ends_on=ends, budget=Decimal("1000000000.00"), currency=tenant.currency
        )
        types = ActivityType.objects.bulk_create(
            ActivityType(key=f"bench-{key}", name=f"Bench {key}", position=n) for n, key in enumerate(TYPES)
        )
        allocations = Allocation.objects.bulk_create(
            Allocation(fund=fund, partner=partner, source="manual", amount=Decimal("20000.00")) for partner in partners
        )
        requests = MdfRequest.objects.bulk_create(
            MdfRequest(
                allocation=allocation,
                partner_id=allocation.partner_id,
                activity_type=types[n % len(types)],
                title=f"Bench campaign {n}",
                description="Bench",
                starts_on=starts + datetime.timedelta(days=n % 80),
                ends_on=starts + datetime.timedelta(days=n % 80 + 1),
                planned_cost=Decimal("4000.00"),
                requested_amount=Decimal("2000.00"),
                approved_amount=Decimal("2000.00") if n % 5 else Decimal("1500.00"),
                campaign_code=f"BENCH-{n:06d}",
                status="approved" if n % 5 else "partially_approved",
                submitted_at=now,
                decided_at=now,
            )
            for n, allocation in enumerate(allocations)
        )
        claim_states = ("approved", "partially_approved", "paid", "paid")
        MdfClaim.objects.bulk_create(
            MdfClaim(
                request=request,
                allocation_id=request.allocation_id,
                partner_id=request.partner_id,
                actual_cost=Decimal("3600.00"),
                amount=Decimal("1500.00"),
                approved_amount=Decimal("1400.00") if n % 4 == 1 else Decimal("1500.00"),
                status=claim_states[n % 4],
                due_on=ends + datetime.timedelta(days=60),
                submitted_at=now,
                decided_at=now,
                paid_at=now if claim_states[n % 4] == "paid" else None,
            )
            for n, request in enumerate(requests)
            if n % 5
        )
        leads = Lead.objects.bulk_create(
            Lead(
                company_name=f"Bench prospect {n}-{k}",
                partner_id=request.partner_id,
                status="accepted",
                source_campaign=request.campaign_code,
                assigned_at=now,
                accepted_at=now,
            )
            for n, request in enumerate(requests)
            for k in range(leads_per_campaign)
        )
        CampaignLead.objects.bulk_create(
            CampaignLead(request=requests[index // leads_per_campaign], lead=lead) for index, lead in enumerate(leads)
        )
        with connection.cursor() as cursor:
            cursor.execute(LINK_DEALS_SQL, {"tenant": tenant.pk})
    with connections["owner"].cursor() as cursor:
        cursor.execute("ANALYZE deals_deal, deals_lead, mdf_mdfrequest, mdf_mdfclaim, mdf_campaignlead")
    connections["owner"].close()


def main() -> int:
    parser = benchlib.measurement_parser("MDF ROI report against one SQL statement of the same figures.")
    parser.add_argument("--campaigns", type=int, default=2000, help="campaigns made once (default 2000)")
    parser.add_argument("--leads", type=int, default=20, help="leads per campaign (default 20)")
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mdf.models import CampaignLead, MdfRequest
    from mdf.selectors import mdf_roi
    from mdf.selectors.roi import ROI_GROUPINGS
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} repetitions after {args.warmup} warm-up")
    with tenant_context(tenant):
        make_campaigns(tenant, campaigns=args.campaigns, leads_per_campaign=args.leads)
        campaigns = MdfRequest.objects.filter(status__in=("approved", "partially_approved")).count()
        leads = CampaignLead.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM deals_deal")
            deals = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM deals_deal WHERE lead_id IS NOT NULL")
            from_leads = cursor.fetchone()[0]
        print(f"{campaigns:,} campaigns, {leads:,} campaign leads; {deals:,} registrations, {from_leads:,} from leads")

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, {"tenant": tenant.pk, "currency": tenant.currency})
                return cursor.fetchall()

        report = mdf_roi(requests=MdfRequest.objects.all(), group_by="activity_type")
        expected = [
            (row.key, row.campaigns, row.spend, row.leads, row.deals, row.won, row.revenue)
            for row in sorted(report.rows, key=lambda row: row.key)
        ]
        if [tuple(row) for row in floor()] != expected:
            raise SetupError(f"the report and the floor disagree:\n{expected}\n{floor()}")
        with CaptureQueriesContext(connection) as captured:
            mdf_roi(requests=MdfRequest.objects.all(), group_by="activity_type")
        plans = []
        for query in captured.captured_queries:
            plans += benchlib.explain(connection, query["sql"], options="COSTS OFF")
        lead_index = any("deals_deal_lead_idx" in line for line in plans)
        used = "yes" if lead_index else "no"
        print(f"report: {len(captured.captured_queries)} queries; the lead index is used: {used}")

        variants = {
            f"report by {group_by}": (
                lambda group_by=group_by: mdf_roi(requests=MdfRequest.objects.all(), group_by=group_by)
            )
            for group_by in ROI_GROUPINGS
        }
        variants["floor (one SQL, by activity type)"] = floor
        stats = benchlib.measure(variants, repeat=args.repeat, warmup=args.warmup)
    floor_median = stats["floor (one SQL, by activity type)"].median
    print_table(
        ("variant", "p50 ms", "p95 ms", "max ms", "× floor p50"),
        [
            (name, ms(result.median), ms(result.p95), ms(max(result.samples)), ratio(result.median, floor_median))
            for name, result in stats.items()
        ],
        title="MDF ROI",
    )
    return 0


if __name__ == "__main__":
    benchlib.run(main)
