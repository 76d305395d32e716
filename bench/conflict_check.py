"""The conflict check of a new deal registration, at scale: deals.selectors.conflict_candidates against its SQL floor.

    python bench/conflict_check.py [--repeat 300] [--warmup 30] [--seed 1] [--tenant bench-1]

Needs the deals table group of `datagen.py` (M = 1,000,000 registrations and 5,000 house accounts per tenant). The
probes are new registrations made from the generator's own company universe (bench/datagen.py), perturbed the way
real registrations differ from earlier ones:

  suffix     an existing company under another legal form ("Acme Cloud" -> "ACME Cloud GmbH"), no domain or a new one
  typo       the same with one typo (a letter dropped, doubled, swapped with the next or replaced)
  domain     an existing company with its exact domain (and another legal form)
  new        a company outside the universe (a generic name may still resemble existing ones), new domain or none

Each probe is timed once per variant, round-robin, after the warm-up probes:

  app        conflict_candidates(...) as the app calls it: app role, inside tenant_context (manager filter + RLS),
             two ORM queries (registrations, house accounts) and the Python that turns rows into candidates.
  floor      the same two queries as hand-written SQL with the explicit tenant filter, on the owner connection inside
             a transaction (its platform policy admits every row, so no tenant policy plays a part) with the same
             pg_trgm.similarity_threshold as the selector sets (NAME_THRESHOLD), and the same row-to-candidate step.
             Its candidates are checked equal to the app's for every probe before timing.

Then EXPLAIN (ANALYZE, BUFFERS) of the app's two queries (their exact SQL, captured) for the probe closest to the
app's p95: a summary (indexes used, rows the trigram recheck removed, buffers) and the full plans.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import benchlib
import datagen
from benchlib import SetupError, ms, print_table, ratio

TARGET_P95 = 0.050  # seconds: the target for one conflict check at 1,000,000 registrations
PROBE_KINDS = (("suffix", 30), ("typo", 20), ("domain", 15), ("new", 35))
TRGM_INDEXES = ("deals_deal_trgm_idx", "deals_house_trgm_idx")
LEAK_NOTE = """
  Under row-level security PostgreSQL evaluates the policy before any non-LEAKPROOF operator, so `%` cannot be an
  index condition for the app role: the app's query reads every open registration of the tenant and filters them,
  while the floor (no tenant policy) uses the trigram index. A superuser can mark the operator's function
  (ALTER FUNCTION similarity_op(text, text) LEAKPROOF); see bench/README.md."""

DEALS_SQL = """
SELECT id, customer_domain, similarity(customer_name_normalised, %(name)s)
FROM deals_deal
WHERE tenant_id = %(tenant)s AND status IN ('submitted', 'approved')
  AND (customer_name_normalised %% %(name)s{domain_match}) AND partner_id <> %(partner)s
ORDER BY 3 DESC LIMIT %(limit)s
"""
HOUSES_SQL = """
SELECT id, domain, similarity(name_normalised, %(name)s)
FROM deals_houseaccount
WHERE tenant_id = %(tenant)s AND (name_normalised %% %(name)s{domain_match})
ORDER BY 3 DESC LIMIT %(limit)s
"""


@dataclass(frozen=True)
class Probe:
    kind: str
    customer_name: str
    customer_domain: str
    partner_id: int


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, char in enumerate(name) if char.isalpha()]
    i = rng.choice(letters[1:-1] or letters)
    how = rng.choice(("drop", "double", "swap", "replace"))
    if how == "drop":
        return name[:i] + name[i + 1 :]
    if how == "double":
        return name[:i] + name[i] + name[i:]
    if how == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice("aeioulnrst") + name[i + 1 :]


def make_probes(cursor, *, count: int, seed: int, companies: int, partner_ids: list[int]) -> list[Probe]:
    """`count` new registrations, deterministic for a seed; company names come from the generator's own SQL."""
    from deals.rules import normalise_company_name

    rng = random.Random(seed)
    kinds = rng.choices([k for k, _w in PROBE_KINDS], weights=[w for _k, w in PROBE_KINDS], k=count)
    numbers = [
        rng.randint(companies + 1, 2 * companies) if kind == "new" else rng.randint(1, companies) for kind in kinds
    ]
    cursor.execute(
        f"SELECT k, {datagen.company_name_sql('k')} FROM unnest(%(numbers)s::bigint[]) AS k",
        {**datagen.DEAL_WORDS, "numbers": numbers},
    )
    names = dict(cursor.fetchall())
    probes = []
    for i, (kind, number) in enumerate(zip(kinds, numbers, strict=True)):
        base = names[number]
        name = (_typo(base, rng) if kind == "typo" else base) + rng.choice(datagen.LEGAL_FORMS)
        if rng.random() < 0.05:
            name = name.upper()
        if kind == "domain":
            domain = normalise_company_name(base).replace(" ", "-") + ".example"
        else:
            domain = rng.choice(("", f"new-{seed}-{i}.example"))
        probes.append(Probe(kind, name, domain, rng.choice(partner_ids)))
    return probes


def to_candidates(kind: str, rows, domain: str) -> list[tuple]:
    """The selector's step from rows to candidates (domain match scores 1, else similarity >= NAME_THRESHOLD)."""
    from deals.selectors.conflicts import NAME_THRESHOLD

    found = []
    for pk, row_domain, similarity in rows:
        if domain and row_domain == domain:
            found.append((kind, pk, "domain", Decimal("1.000")))
        else:
            score = Decimal(str(similarity)).quantize(Decimal("0.001"))
            if score >= NAME_THRESHOLD:
                found.append((kind, pk, "name", score))
    return found


def floor_candidates(cursor, probe: Probe, tenant_id: int) -> list[tuple]:
    from deals.rules import normalise_company_name
    from deals.selectors.conflicts import MAX_CANDIDATES
    from partners.profile import normalise_domain

    domain = normalise_domain(probe.customer_domain)
    params = {
        "name": normalise_company_name(probe.customer_name),
        "domain": domain,
        "tenant": tenant_id,
        "partner": probe.partner_id,
        "limit": MAX_CANDIDATES,
    }
    found = []
    for kind, sql, column in (("deal", DEALS_SQL, "customer_domain"), ("house_account", HOUSES_SQL, "domain")):
        cursor.execute(sql.format(domain_match=f" OR {column} = %(domain)s" if domain else ""), params)
        found += to_candidates(kind, cursor.fetchall(), domain)
    return found


def comparable(found: list[tuple]) -> tuple:
    """Scores per kind, and the rows above each kind's lowest score: at the LIMIT, ties may be cut either way."""
    lowest = {}
    for kind, _pk, _on, score in found:
        lowest[kind] = min(score, lowest.get(kind, score))
    return (
        sorted((kind, on, score) for kind, _pk, on, score in found),
        sorted((kind, pk) for kind, pk, _on, score in found if score > lowest[kind]),
    )


def app_candidates(probe: Probe) -> list[tuple]:
    from deals.selectors import conflict_candidates
    from partners.profile import normalise_domain

    found = conflict_candidates(
        customer_name=probe.customer_name,
        customer_domain=normalise_domain(probe.customer_domain),
        exclude_partner_id=probe.partner_id,
    )
    return [(c.kind, c.pk, c.matched_on, c.score) for c in found]


def plan_summary(lines: list[str]) -> dict[str, str]:
    indexes = []
    for line in lines:
        for marker in (" using ", "Bitmap Index Scan on "):
            if marker in line:
                name = line.split(marker, 1)[1].split()[0]
                if name not in indexes:
                    indexes.append(name)
    recheck = sum(int(line.split(":")[1]) for line in lines if "Rows Removed by Index Recheck" in line)
    heap = next((line.split("Heap Blocks:")[1].strip() for line in lines if "Heap Blocks:" in line), "-")
    buffers = next((line.strip().removeprefix("Buffers: ") for line in lines if "Buffers:" in line), "-")
    execution = next((line.split(":")[1].strip() for line in lines if line.startswith("Execution Time")), "-")
    return {
        "indexes": ", ".join(indexes) or "none (seq scan)",
        "trgm": "yes" if any(name in TRGM_INDEXES for name in indexes) else "NO",
        "recheck": f"{recheck:,}",
        "heap": heap,
        "buffers": buffers,
        "execution": execution,
    }


def main() -> int:
    parser = benchlib.measurement_parser("Conflict check of a new registration against its raw SQL floor.")
    parser.set_defaults(repeat=300, warmup=30)
    parser.add_argument("--seed", type=int, default=1, help="probe generator seed (default 1)")
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from django.db import connection, connections, transaction
    from django.test.utils import CaptureQueriesContext

    from deals.models import Deal, HouseAccount
    from deals.selectors.conflicts import NAME_THRESHOLD, OPEN_STATUSES
    from partners.models import Partner
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    owner = connections["owner"]
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} probes after {args.warmup} warm-up probes")

    with tenant_context(tenant), transaction.atomic(using="owner"):
        deals = Deal.objects.count()
        if deals == 0:
            raise SetupError(f"{tenant.slug} has no deal registrations: run `python bench/datagen.py --scale M` first.")
        open_deals = Deal.objects.filter(status__in=OPEN_STATUSES).count()
        houses = HouseAccount.objects.count()
        partner_ids = list(Partner.objects.exclude(status="applicant").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute("SELECT similarity('', '')")  # loads pg_trgm, which defines its settings
            cursor.execute("SHOW pg_trgm.similarity_threshold")
            trgm_threshold = cursor.fetchone()[0]
            cursor.execute("SELECT proleakproof FROM pg_proc WHERE oid = 'similarity_op(text, text)'::regprocedure")
            leakproof = cursor.fetchone()[0]
            probes = make_probes(
                cursor,
                count=args.warmup + args.repeat,
                seed=args.seed,
                companies=max(1, deals // datagen.REGISTRATIONS_PER_COMPANY),
                partner_ids=partner_ids,
            )

        results = {}
        with owner.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(NAME_THRESHOLD)])
            for i, probe in enumerate(probes):
                app, floor = app_candidates(probe), floor_candidates(cursor, probe, tenant.pk)
                if comparable(app) != comparable(floor):
                    raise SetupError(f"probe {i} {probe}: the SQL floor found {floor}, the app {app}")
                results[i] = app

        samples: dict[str, list[float]] = {"app": [], "floor": []}
        meter = benchlib.CpuMeter()
        with owner.cursor() as cursor:
            variants = {
                "app": app_candidates,
                "floor": lambda probe: floor_candidates(cursor, probe, tenant.pk),
            }
            for i, probe in enumerate(probes):
                for name, fn in variants.items():
                    start = time.perf_counter()
                    fn(probe)
                    if i >= args.warmup:
                        samples[name].append(time.perf_counter() - start)
        busy = meter.busy()
        stats = {name: benchlib.Stats(tuple(values)) for name, values in samples.items()}

        timed = probes[args.warmup :]
        p95 = stats["app"].p95
        plan_probe = min(range(len(timed)), key=lambda i: abs(samples["app"][i] - p95))
        with CaptureQueriesContext(connection) as captured:
            app_candidates(timed[plan_probe])
        plans = []
        with transaction.atomic():  # replayed in order, so the selector's SET LOCAL applies as it did
            for query in captured.captured_queries:
                sql = query["sql"]
                if "set_config" in sql:
                    with connection.cursor() as cursor:
                        cursor.execute(sql)
                elif sql.lstrip().upper().startswith("SELECT"):
                    plans.append((sql, benchlib.explain(connection, sql)))

    found = [results[args.warmup + i] for i in range(len(timed))]
    by_kind = Counter(probe.kind for probe in timed)
    with_candidates = Counter(probe.kind for probe, cands in zip(timed, found, strict=True) if cands)
    kinds = Counter((c[0], c[2]) for cands in found for c in cands)
    print_table(
        ["registrations", "open (submitted/approved)", "house accounts", "NAME_THRESHOLD", "pg_trgm default"],
        [(f"{deals:,}", f"{open_deals:,}", f"{houses:,}", str(NAME_THRESHOLD), trgm_threshold)],
        title="data",
    )
    print(
        f"\nsimilarity_op (the % operator) LEAKPROOF: {'yes' if leakproof else 'no'}" + ("" if leakproof else LEAK_NOTE)
    )
    print_table(
        ["probe kind", "probes", "with candidates"],
        [(kind, by_kind[kind], with_candidates[kind]) for kind, _w in PROBE_KINDS],
        title="probes",
    )
    print_table(
        ["candidates", "registration", "house account"],
        [(on, kinds[("deal", on)], kinds[("house_account", on)]) for on in ("domain", "name")]
        + [("max per probe", max((len(c) for c in found), default=0), "")],
        title="candidates found",
    )
    rows = [
        (
            label,
            ms(stats[name].median),
            ms(stats[name].p95),
            ms(max(stats[name].samples)),
            ratio(stats[name].median, stats["floor"].median),
            ratio(stats[name].p95, stats["floor"].p95),
        )
        for name, label in (("app", "conflict_candidates (ORM, RLS)"), ("floor", "SQL floor (owner, tenant filter)"))
    ]
    print_table(["variant", "p50", "p95", "max", "p50 / floor", "p95 / floor"], rows, title="timings (ms)")
    verdict = "met" if p95 < TARGET_P95 else "MISSED"
    print(f"\ntarget p95 < {TARGET_P95 * 1000:.0f} ms at 1,000,000 registrations: {verdict} (p95 {ms(p95)} ms)")
    print(f"CPU busy while measuring: {busy}")

    probe = timed[plan_probe]
    print(f"\nplans for the probe nearest the p95 ({probe.kind}: {probe.customer_name!r}, {probe.customer_domain!r})")
    summary_rows = []
    for sql, lines in plans:
        table = "deals_houseaccount" if 'FROM "deals_houseaccount"' in sql else "deals_deal"
        summary = plan_summary(lines)
        summary_rows.append(
            (
                table,
                summary["indexes"],
                summary["trgm"],
                summary["recheck"],
                summary["heap"],
                summary["buffers"],
                summary["execution"],
            )
        )
    print_table(
        ["query", "indexes", "trigram GIN", "removed by recheck", "heap blocks", "buffers", "execution"],
        summary_rows,
    )
    for sql, lines in plans:
        print(f"\n{sql}\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    benchlib.run(main)
