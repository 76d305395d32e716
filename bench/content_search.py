"""Content library search (`content.selectors.asset_search`) at scale, next to one hand-written SQL statement.

    python bench/content_search.py [--repeat 30] [--warmup 3] [--tenant bench-1] [--assets 50000]

Needs the partners group of `datagen.py` (a partner with a tier to search as).

  assets   made once in the measured tenant (kept): one library, `--assets` assets in English, Spanish, Dutch and
           Arabic (a quarter each), with titles, summaries, tags and article bodies drawn from a word list per
           language (seeded, so every run builds the same rows); 90% published, a fifth public, the rest restricted
           by program, tier or region or not at all. Their search vectors are written by
           `content.services.assets_index`, as every asset write does. Then ANALYZE as the owner.
  search   the first page (20) of `asset_search(assets_for_partner(partner), text=…)` as the library page runs it
           for a partner user (visibility + full text in every language, ranked), and the same for vendor staff
           (every asset), on the app connection in the tenant's context (RLS applies).
  floor    one SQL statement: the same visibility condition, the same tsquery and ranking, LIMIT 20 (checked to
           return the same ids before timing).
"""

from __future__ import annotations

import random
import time

import benchlib
from benchlib import SetupError, ms, print_table, ratio

LIBRARY = "bench-search"
WORDS = {
    "en": [
        "cloud",
        "migration",
        "security",
        "pricing",
        "onboarding",
        "partner",
        "campaign",
        "webinar",
        "deployment",
        "backup",
        "integration",
        "licensing",
        "renewal",
        "discount",
        "datasheet",
        "battlecard",
        "competitive",
        "analytics",
        "storage",
        "network",
        "invoice",
        "customer",
        "playbook",
        "training",
        "certification",
        "roadmap",
    ],
    "es": [
        "nube",
        "migración",
        "seguridad",
        "precios",
        "incorporación",
        "socio",
        "campaña",
        "seminario",
        "despliegue",
        "copia",
        "integración",
        "licencias",
        "renovación",
        "descuento",
        "ficha",
        "competencia",
        "analítica",
        "almacenamiento",
        "red",
        "factura",
        "cliente",
        "guía",
        "formación",
        "certificación",
        "hoja",
    ],
    "nl": [
        "migratie",
        "beveiliging",
        "prijzen",
        "onboarding",
        "partner",
        "campagne",
        "webinar",
        "implementatie",
        "back-up",
        "integratie",
        "licenties",
        "verlenging",
        "korting",
        "datasheet",
        "concurrentie",
        "analyse",
        "opslag",
        "netwerk",
        "factuur",
        "klant",
        "draaiboek",
        "training",
        "certificering",
        "planning",
        "facturen",
    ],
    "ar": [
        "سحابة",
        "ترحيل",
        "أمان",
        "تسعير",
        "شريك",
        "حملة",
        "ندوة",
        "نشر",
        "نسخ",
        "تكامل",
        "ترخيص",
        "تجديد",
        "خصم",
        "تحليلات",
        "تخزين",
        "شبكة",
        "فاتورة",
        "عميل",
        "تدريب",
        "شهادة",
    ],
}
QUERIES = ("cloud migration", "campaña", "facturen", "security -pricing", "شريك")
PAGE = 20


def _sentence(rng: random.Random, words: list[str], count: int) -> str:
    return " ".join(rng.choice(words) for _ in range(count))


def make_assets(tenant, *, count: int) -> None:
    from django.db import connections

    from content.models import Asset, Library
    from content.services import assets_index
    from partners.models import Program, Tier

    library = Library.objects.filter(name=LIBRARY).first()
    if library is not None and Asset.objects.filter(library=library).count() >= count:
        return
    if library is None:
        library = Library.objects.create(name=LIBRARY)
    rng = random.Random(7)
    program_ids = list(Program.objects.values_list("pk", flat=True))
    tier_ids = list(Tier.objects.values_list("pk", flat=True))
    languages = list(WORDS)
    rows = []
    for n in range(count):
        language = languages[n % len(languages)]
        words = WORDS[language]
        restriction = rng.random()
        rows.append(
            Asset(
                library=library,
                kind="article",
                title=_sentence(rng, words, 4).capitalize(),
                summary=_sentence(rng, words, 20),
                tags=sorted({rng.choice(words)[:40] for _ in range(3)}),
                language=language,
                stage=rng.choice(["", "onboarding", "selling", "servicing"]),
                body="".join(f"<p>{_sentence(rng, words, 40)}</p>" for _ in range(5)),
                is_published=rng.random() < 0.9,
                is_public=rng.random() < 0.2,
                visible_program_ids=[rng.choice(program_ids)] if restriction < 0.15 else [],
                visible_tier_ids=[rng.choice(tier_ids)] if 0.15 <= restriction < 0.3 else [],
                visible_regions=["emea"] if 0.3 <= restriction < 0.4 else [],
            )
        )
    Asset.objects.bulk_create(rows, batch_size=2000)
    started = time.perf_counter()
    written = assets_index(Asset.objects.filter(library=library).values_list("pk", flat=True))
    print(f"indexed {written:,} assets in {time.perf_counter() - started:.1f} s (one UPDATE per language)")
    with connections["owner"].cursor() as cursor:
        cursor.execute("ANALYZE content_asset")


FLOOR_SQL = """
WITH q AS (
    SELECT websearch_to_tsquery('english', %(text)s) || websearch_to_tsquery('spanish', %(text)s)
        || websearch_to_tsquery('dutch', %(text)s) || websearch_to_tsquery('arabic', %(text)s) AS query
)
SELECT a.id
FROM content_asset a, q
WHERE a.tenant_id = %(tenant)s AND a.search @@ q.query AND a.is_published
  AND (a.is_public OR (
        (a.visible_program_ids = '{}' OR a.visible_program_ids @> ARRAY[%(program)s]::bigint[])
    AND (a.visible_tier_ids = '{}' OR a.visible_tier_ids @> ARRAY[%(tier)s]::bigint[])
    AND (a.visible_types = '{}' OR a.visible_types && %(types)s::varchar[])
    AND (a.visible_regions = '{}' OR a.visible_regions && %(regions)s::varchar[])))
ORDER BY ts_rank(a.search, q.query) DESC, a.title, a.id
LIMIT 20
"""


def main() -> int:
    parser = benchlib.measurement_parser("Content search against one SQL statement of the same page.")
    parser.add_argument("--assets", type=int, default=50000, help="assets made once (default 50000)")
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from django.db import connection

    from content.models import Asset
    from content.selectors import asset_search, assets_for_partner
    from partners.models import Partner
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} repetitions after {args.warmup} warm-up")
    with tenant_context(tenant):
        make_assets(tenant, count=args.assets)
        partner = Partner.objects.filter(tier__isnull=False).order_by("pk").first()
        if partner is None:
            raise SetupError("no partner with a tier: run `python bench/datagen.py` first.")
        print(f"{Asset.objects.count():,} assets; searching as {partner.name} (program {partner.program_id}, "
              f"tier {partner.tier_id})")  # fmt: skip

        def floor(text):
            params = {
                "text": text,
                "tenant": tenant.pk,
                "program": partner.program_id,
                "tier": partner.tier_id,
                "types": list(partner.types or []),
                "regions": list(partner.regions or []),
            }
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, params)
                return [row[0] for row in cursor.fetchall()]

        def partner_page(text):
            return list(asset_search(assets_for_partner(partner), text=text).values_list("pk", flat=True)[:PAGE])

        def vendor_page(text):
            return list(asset_search(Asset.objects.all(), text=text).values_list("pk", flat=True)[:PAGE])

        for text in QUERIES:
            if partner_page(text) != floor(text):
                raise SetupError(f"the search and the floor disagree for {text!r}")
            matches = asset_search(assets_for_partner(partner), text=text).count()
            print(f"{text!r}: {matches:,} assets match for the partner")
        variants = {}
        for text in QUERIES:
            variants[f"partner: {text}"] = lambda text=text: partner_page(text)
            variants[f"floor: {text}"] = lambda text=text: floor(text)
            variants[f"vendor: {text}"] = lambda text=text: vendor_page(text)
        stats = benchlib.measure(variants, repeat=args.repeat, warmup=args.warmup)
    rows = []
    for text in QUERIES:
        floor_median = stats[f"floor: {text}"].median
        for who in ("partner", "floor", "vendor"):
            result = stats[f"{who}: {text}"]
            rows.append((f"{who}: {text}", ms(result.median), ms(result.p95), ratio(result.median, floor_median)))
    print_table(("variant", "p50 ms", "p95 ms", "× floor p50"), rows, title="Content search, first page of 20")
    return 0


if __name__ == "__main__":
    benchlib.run(main)
