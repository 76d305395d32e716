"""Demo data for incentives: per demo tenant one program of every kind, starting four quarters back, with
its run history — final runs of the last four closed quarters (which close them) and a provisional run
of the open one, executed synchronously so the pages are full on first login; payouts of the closed
quarters (paid, then approved); leaderboard snapshots.

Programs are written directly (no audit, no notifications), with parameters normalised by
`rules.validate_params` as the services do. Idempotent: programs are found by slug, a run that exists is
not made again, payouts are made once per tenant.
"""

from datetime import datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from deals.models import Product
from prm.accounts.models import User

from .models import IncentiveProgram, IncentiveSettings, LedgerEntry, Payout, ProgramPeriod, RuleVersion, Run
from .periods import Period, period_containing
from .rules import validate_params
from .services.leaderboards import current_period_keys, leaderboard_refresh
from .services.ledger import payouts_prepare
from .services.runs import run_execute
from .services.schedule import incentive_settings

# slug, name, kind, award_to, unit, summary, params (product SKU suffixes stand for product ids)
PROGRAMS = [
    (
        "demo-volume-rebate",
        "Quarterly volume rebate",
        "rebate",
        "partner",
        "money",
        "2% of the quarter's revenue from 25k, 3% from 75k, 5% from 150k; gold tiers earn more.",
        {
            "bands": [
                {"from": "0", "rate": "0"},
                {"from": "25000", "rate": "2"},
                {"from": "75000", "rate": "3"},
                {"from": "150000", "rate": "5"},
            ],
            "mode": "retroactive",
            "minimum": "10000",
            "cap": "25000",
            "use_tier_multiplier": True,
        },
    ),
    (
        "demo-security-spif",
        "Security & Analytics SPIF",
        "spif",
        "rep",
        "money",
        "150 per unit of the Security Add-on and the Analytics Suite sold, up to 3,000 per rep.",
        {"basis": "per_unit", "amount": "150", "products": ["SEC", "ANL"], "cap_per_rep": "3000"},
    ),
    (
        "demo-activity-points",
        "Partner activity points",
        "points",
        "rep",
        "points",
        "Points for registering, getting approved and winning deals, and for accepting leads in time.",
        {
            "points": {"deal_registered": 10, "deal_approved": 20, "deal_won": 100, "lead_accepted_within_sla": 15},
            "caps": {"deal_registered": 200, "lead_accepted_within_sla": 150},
        },
    ),
    (
        "demo-revenue-share",
        "Subscription revenue share",
        "revenue_share",
        "partner",
        "money",
        "5% of the subscriptions your customers pay for their first 12 months; renewals at 3%.",
        {"rate": "5", "renewal_rate": "3", "months": 12},
    ),
    (
        "demo-registration-bonus",
        "Registration bonus",
        "registration_bonus",
        "partner",
        "money",
        "250 for every approved registration won inside its protection window.",
        {"basis": "flat", "amount": "250"},
    ),
]
QUARTERS_BACK = 4


def _quarters(today) -> tuple[list[Period], Period]:
    """The last four closed quarters (oldest first) and the open one."""
    open_quarter = period_containing(today, "quarter")
    closed, period = [], open_quarter
    for _i in range(QUARTERS_BACK):
        period = period.previous()
        closed.insert(0, period)
    return closed, open_quarter


def _params(params: dict) -> dict:
    """Product SKU suffixes become the demo catalog's product ids."""
    if "products" not in params:
        return params
    suffixes = params["products"]
    ids = [pk for pk, sku in Product.objects.values_list("pk", "sku") if sku.split("-")[-1] in suffixes]
    return {**params, "products": ids}


def seed_programs(tenant, starts_on) -> list[IncentiveProgram]:
    programs = []
    for slug, name, kind, award_to, unit, summary, params in PROGRAMS:
        program = IncentiveProgram.objects.filter(slug=slug).first()
        if program is None:
            program = IncentiveProgram.objects.create(
                slug=slug,
                name=name,
                kind=kind,
                status=IncentiveProgram.Status.ACTIVE,
                summary=summary,
                award_to=award_to,
                unit=unit,
                currency=tenant.currency,
                period_scheme="quarter",
                starts_on=starts_on,
            )
            RuleVersion.objects.create(
                program=program, version=1, effective_from=starts_on, params=validate_params(kind, _params(params))
            )
        programs.append(program)
    return programs


def _execute(program: IncentiveProgram, period: Period, kind: str, as_of) -> None:
    if Run.objects.filter(program=program, period=period.key, kind=kind).exists():
        return
    if ProgramPeriod.objects.filter(program=program, key=period.key, status=ProgramPeriod.Status.CLOSED).exists():
        return
    rule = RuleVersion.objects.filter(program=program, effective_from__lte=period.starts_on).order_by("-version")
    run = Run.objects.create(
        program=program, rule_version=rule.first(), period=period.key, kind=kind, as_of=as_of, cutoff=timezone.now()
    )
    run_execute(run_id=run.pk)


def seed_runs(programs: list[IncentiveProgram], today) -> None:
    closed, open_quarter = _quarters(today)
    grace = timedelta(days=incentive_settings().close_after_days)
    for program in programs:
        for period in closed:
            _execute(program, period, Run.Kind.FINAL, min(today, period.ends_on + grace))
        _execute(program, open_quarter, Run.Kind.PROVISIONAL, today)


def seed_leaderboards(today) -> None:
    """Snapshots of the demo quarters and the current month, quarter and year (runs only queue a refresh, and
    no worker runs while seeding)."""
    closed, open_quarter = _quarters(today)
    keys = dict.fromkeys([*(period.key for period in closed), open_quarter.key, *current_period_keys(today)])
    for key in keys:
        leaderboard_refresh(period_key=key)


def seed_payouts(tenant, today) -> None:
    """Payouts per closed quarter: the older ones paid, the last one approved and waiting for payment; the
    open quarter stays pending. Statuses are written directly so seeding notifies nobody."""
    if Payout.objects.exists():
        return
    manager = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    closed, _open = _quarters(today)
    for index, quarter in enumerate(closed):
        prepared = payouts_prepare(actor=manager, currency=tenant.currency, up_to=quarter.ends_on)
        approved_at = timezone.make_aware(datetime.combine(quarter.ends_on + timedelta(days=10), time(10)))
        values = {"status": Payout.Status.APPROVED, "approved_by": manager, "approved_at": approved_at}
        if index < len(closed) - 1:
            values |= {
                "status": Payout.Status.PAID,
                "paid_by": manager,
                "paid_at": approved_at + timedelta(days=5),
                "external_reference": f"SEPA-{quarter.key}",
            }
        Payout.objects.filter(pk__in=[payout.pk for payout in prepared]).update(
            prepared_at=approved_at - timedelta(days=2), **values
        )


def seed_incentives_demo(tenant, stdout) -> None:
    today = timezone.localdate()
    closed, _open = _quarters(today)
    # A new demo vendor publishes its top 10 to partners, other partners' names hidden.
    IncentiveSettings.objects.get_or_create(defaults={"leaderboard_published": True})
    programs = seed_programs(tenant, closed[0].starts_on)
    seed_runs(programs, today)
    seed_payouts(tenant, today)
    seed_leaderboards(today)
    total = LedgerEntry.objects.filter(unit="money").aggregate(total=Sum("amount"))["total"] or 0
    stdout.write(
        f"  {tenant.slug}: {len(programs)} incentive programs, {Run.objects.count()} runs, "
        f"{LedgerEntry.objects.count()} ledger lines ({total} {tenant.currency} earned)"
    )
