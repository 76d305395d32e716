"""Build realistic bench tenants at a chosen scale, with set-based SQL.

    python bench/datagen.py --scale S|M|L [--tenants N] [--reset]

Creates tenants `bench-1` … `bench-N` (N = 2 by default: the measured tenant and a noisy neighbour of the same
size, so row-level security and the managers' filters have rows to exclude) and fills them table group by
table group. Every row is written by `INSERT … SELECT … generate_series` on the OWNER connection: the owner
role inherits prm_platform, whose row-level policy admits every tenant's rows (checked before writing and
after, by reading the rows back with no tenant set). Tenants' audit events are interleaved in time, as they
would be in production, so the measured tenant's rows are spread over the whole table.

Idempotent per table group: a group whose rows are already present at the requested scale is skipped, an
empty one is generated, a mismatching one stops the run (use --reset). --reset first deletes every bench
tenant's rows from every tenant-owned table (TRUNCATE when the table holds nothing else) and the bench users.

Adding a table group (partners, deals, sales lines in later issues): write `def _generate_x(cursor, plan)`
with set-based SQL and register it with `TableGroup("x", ("app_table", …), expected_fn, _generate_x)` in
GROUPS, after the groups it references. Reset needs nothing: it covers every TenantOwned model.
"""

from __future__ import annotations

import argparse
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import benchlib
from benchlib import SetupError, print_table


@dataclass(frozen=True)
class Scale:
    """Rows per tenant (quality.md)."""

    name: str
    members: int
    audit_events: int
    partners: int
    deals: int
    sales_lines: int
    house_accounts: int


SCALES = {
    "S": Scale(
        "S", members=1_000, audit_events=100_000, partners=1_000, deals=100_000, sales_lines=500_000, house_accounts=500
    ),
    "M": Scale(
        "M",
        members=10_000,
        audit_events=1_000_000,
        partners=10_000,
        deals=1_000_000,
        sales_lines=5_000_000,
        house_accounts=5_000,
    ),
    "L": Scale(
        "L",
        members=100_000,
        audit_events=10_000_000,
        partners=100_000,
        deals=10_000_000,
        sales_lines=50_000_000,
        house_accounts=50_000,
    ),
}
HISTORY_DAYS = 365  # audit events are spread evenly over the last year
INSERT_CHUNK = 1_000_000  # rows per INSERT statement for the big tables (progress + bounded memory)


@dataclass
class Plan:
    scale: Scale
    tenants: list[tuple[int, str]]  # (id, slug), measured tenant first
    now: datetime
    content_types: dict[str, int]  # "app_label.model" -> id

    @property
    def tenant_ids(self) -> list[int]:
        return [tenant_id for tenant_id, _slug in self.tenants]


@dataclass(frozen=True)
class TableGroup:
    name: str
    tables: tuple[str, ...]  # tenant-owned tables it fills (counted per tenant)
    expected: Callable[[Scale], dict[str, int]]  # rows per tenant and table
    generate: Callable[[object, Plan], None]  # (owner cursor, plan)


# --- Generators ----------------------------------------------------------------------------------------------------
# Distributions are deterministic (no random()): every run builds the same data. Independent attributes use
# independently seeded hashes of the row number, so e.g. roles, activity and tenant are not correlated.


def pct(expr: str, seed: int) -> str:
    """SQL: a stable pseudo-random 0..99 for the integer `expr` (psycopg2 %-escaped)."""
    return f"((hashint8extended(({expr})::bigint, {seed}) & 9223372036854775807) %% 100)"


def pick(expr: str, seed: int, modulus: str) -> str:
    """SQL: a stable pseudo-random 1..modulus for the integer `expr`."""
    return f"(1 + (hashint8extended(({expr})::bigint, {seed}) & 9223372036854775807) %% {modulus})"


ROLE_SQL = f"""
    CASE WHEN n = 1 THEN 'tenant_admin'
         WHEN {pct("n", 1)} < 2 THEN 'tenant_admin'
         WHEN {pct("n", 1)} < 10 THEN 'channel_manager'
         WHEN {pct("n", 1)} < 25 THEN 'vendor_staff'
         WHEN {pct("n", 1)} < 40 THEN 'partner_admin'
         ELSE 'partner_rep' END"""
DEACTIVATED_SQL = f"(n > 1 AND {pct('n', 2)} < 5)"


def _generate_people(cursor, plan: Plan) -> None:
    """One user per member (emails m0000001@<slug>.bench.invalid) and their memberships.

    Member 1 is the tenant admin the request bench signs in as; 5% are deactivated, 10% never signed in.
    """
    for tenant_id, slug in plan.tenants:
        cursor.execute(
            f"""
            WITH new_users AS (
                INSERT INTO accounts_user
                    (password, last_login, is_superuser, email, full_name, is_active, is_staff, date_joined)
                SELECT '!bench-unusable',
                       CASE WHEN g > 1 AND {pct("g", 3)} < 10 THEN NULL
                            ELSE %(now)s - {pct("g", 4)} * interval '1 day' END,
                       false, 'm' || lpad(g::text, 7, '0') || '@' || %(slug)s || %(suffix)s,
                       'Member ' || g, true, false,
                       %(now)s - {pick("g", 5, "700")} * interval '1 day'
                FROM generate_series(1, %(members)s) AS g
                ORDER BY g
                RETURNING id, email, date_joined
            ), numbered AS (
                SELECT id, date_joined, substring(email FROM 2 FOR 7)::int AS n FROM new_users
            )
            INSERT INTO accounts_membership
                (role, is_active, created_at, updated_at, deactivated_at, invited_by_id, tenant_id, user_id)
            SELECT {ROLE_SQL},
                   NOT {DEACTIVATED_SQL},
                   date_joined, date_joined,
                   CASE WHEN {DEACTIVATED_SQL} THEN date_joined + interval '30 days' END,
                   CASE WHEN n > 1 THEN first_value(id) OVER (ORDER BY n) END,
                   %(tenant)s, id
            FROM numbered
            """,
            {
                "now": plan.now,
                "slug": slug,
                "suffix": benchlib.USER_EMAIL_SUFFIX,
                "members": plan.scale.members,
                "tenant": tenant_id,
            },
        )


def _token_count(n: int) -> int:
    return 3 if n == 1 else 1 if n % 20 == 7 else 0


def _generate_tokens(cursor, plan: Plan) -> None:
    """API tokens: three for the tenant admin, one for 5% of the members; a fifth revoked, some expiring."""
    cursor.execute(
        """
        INSERT INTO api_apitoken
            (name, prefix, key_hash, created_at, last_used_at, expires_at, revoked_at, tenant_id, user_id)
        SELECT 'token ' || k, lpad(to_hex(m.n * 16 + k), 12, '0'),
               encode(sha256(convert_to(m.tenant_id || ':' || m.n || ':' || k, 'UTF8')), 'hex'),
               %(now)s - ((m.n * 7 + k) %% 300 + 1) * interval '1 day',
               CASE WHEN (m.n + k) %% 3 = 0 THEN NULL ELSE %(now)s - ((m.n + k) %% 20) * interval '1 hour' END,
               CASE WHEN (m.n + k) %% 4 = 0 THEN %(now)s + interval '90 days' END,
               CASE WHEN (m.n * 11 + k) %% 5 = 0 THEN %(now)s - interval '3 days' END,
               m.tenant_id, m.user_id
        FROM (
            SELECT ms.tenant_id, ms.user_id, substring(u.email FROM 2 FOR 7)::int AS n
            FROM accounts_membership ms JOIN accounts_user u ON u.id = ms.user_id
            WHERE ms.tenant_id = ANY(%(tenants)s)
        ) AS m
        CROSS JOIN LATERAL generate_series(
            1, CASE WHEN m.n = 1 THEN 3 WHEN m.n %% 20 = 7 THEN 1 ELSE 0 END
        ) AS k
        """,
        {"now": plan.now, "tenants": plan.tenant_ids},
    )


def _generate_audit(cursor, plan: Plan) -> None:
    """Audit events of all tenants interleaved in time order, the shape services write through audit_record().

    10% are system events (no actor); the rest name a member as actor and another member, one of its tokens
    or the tenant as object, with a `changes` diff like the real services record.
    """
    cursor.execute(
        """
        CREATE TEMP TABLE bench_member ON COMMIT DROP AS
        SELECT ms.tenant_id, row_number() OVER (PARTITION BY ms.tenant_id ORDER BY ms.id) AS k,
               ms.id AS membership_id, ms.role, u.id AS user_id, u.email
        FROM accounts_membership ms JOIN accounts_user u ON u.id = ms.user_id
        WHERE ms.tenant_id = ANY(%s)
        """,
        [plan.tenant_ids],
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_member (tenant_id, k)")
    cursor.execute("ANALYZE bench_member")
    ct = plan.content_types
    tenants_count = len(plan.tenants)
    total = plan.scale.audit_events * tenants_count
    span_seconds = HISTORY_DAYS * 86400
    start = plan.now - timedelta(days=HISTORY_DAYS)
    for first in range(0, total, INSERT_CHUNK):
        last = min(first + INSERT_CHUNK, total) - 1
        cursor.execute(
            f"""
            INSERT INTO audit_auditevent
                (created_at, actor_label, action, object_id, object_repr, changes, context,
                 actor_id, content_type_id, tenant_id)
            SELECT e.created_at,
                   CASE WHEN e.system THEN 'system' ELSE actor.email END,
                   e.action,
                   CASE WHEN e.action LIKE 'membership.%%' THEN obj.membership_id::text
                        WHEN e.action LIKE 'api_token.%%' THEN (e.g %% 50000 + 1)::text
                        ELSE e.tenant_id::text END,
                   CASE WHEN e.action LIKE 'membership.%%'
                            THEN obj.email || ' (' || upper(left(obj.role, 1))
                                 || replace(substr(obj.role, 2), '_', ' ') || ')'
                        WHEN e.action LIKE 'api_token.%%' THEN 'token (prm_' || lpad(to_hex(e.g), 12, '0') || '_…)'
                        ELSE 'Bench tenant ' || e.tenant_id END,
                   CASE e.action
                        WHEN 'membership.change_role'
                            THEN jsonb_build_object('role', jsonb_build_array('vendor_staff', obj.role))
                        WHEN 'membership.deactivate'
                            THEN jsonb_build_object('is_active', jsonb_build_array(true, false))
                        WHEN 'membership.reactivate'
                            THEN jsonb_build_object('is_active', jsonb_build_array(false, true))
                        WHEN 'api_token.revoke'
                            THEN jsonb_build_object('revoked_at', jsonb_build_array(NULL, e.created_at))
                        WHEN 'tenant.update'
                            THEN jsonb_build_object('primary_color', jsonb_build_array('#1f4fd8', '#0f3d91'))
                        ELSE '{{}}'::jsonb END,
                   CASE WHEN e.action = 'api_token.issue'
                        THEN jsonb_build_object('user', obj.email, 'expires_at', NULL)
                        ELSE '{{}}'::jsonb END,
                   CASE WHEN e.system THEN NULL ELSE actor.user_id END,
                   CASE WHEN e.action LIKE 'membership.%%' THEN %(ct_membership)s
                        WHEN e.action LIKE 'api_token.%%' THEN %(ct_token)s
                        ELSE %(ct_tenant)s END,
                   e.tenant_id
            FROM (
                SELECT g,
                       (%(tenants)s::bigint[])[1 + g %% %(tenants_count)s] AS tenant_id,
                       %(start)s::timestamptz
                           + (g::float8 / %(total)s * %(span)s) * interval '1 second' AS created_at,
                       {pct("g", 11)} < 10 AS system,
                       {pick("g", 12, "%(members)s")} AS actor_k,
                       {pick("g", 13, "%(members)s")} AS object_k,
                       CASE WHEN {pct("g", 14)} < 40 THEN 'membership.change_role'
                            WHEN {pct("g", 14)} < 55 THEN 'membership.deactivate'
                            WHEN {pct("g", 14)} < 65 THEN 'membership.reactivate'
                            WHEN {pct("g", 14)} < 80 THEN 'api_token.issue'
                            WHEN {pct("g", 14)} < 88 THEN 'api_token.revoke'
                            WHEN {pct("g", 14)} < 95 THEN 'membership.resend_invitation'
                            ELSE 'tenant.update' END AS action
                FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
            ) AS e
            JOIN bench_member actor ON actor.tenant_id = e.tenant_id AND actor.k = e.actor_k
            JOIN bench_member obj ON obj.tenant_id = e.tenant_id AND obj.k = e.object_k
            ORDER BY e.g
            """,
            {
                "tenants": plan.tenant_ids,
                "tenants_count": tenants_count,
                "start": start,
                "total": total,
                "span": span_seconds,
                "members": plan.scale.members,
                "first": first,
                "last": last,
                "ct_membership": ct["accounts.membership"],
                "ct_token": ct["api.apitoken"],
                "ct_tenant": ct["tenancy.tenant"],
            },
        )
        if total > INSERT_CHUNK:
            print(f"    audit events: {last + 1:,} / {total:,}", flush=True)


# Partners: three programs per tenant, each with four tiers (criteria on the partners app's own metrics) and a
# four-step onboarding checklist. Tier criteria by rank: (metric, threshold) pairs.
BENCH_PROGRAMS = (
    ("reseller", "Reseller", False, 90),
    ("solutions", "Solutions", False, 60),
    ("referral", "Referral", True, 30),
)
BENCH_TIERS = (
    ("Registered", ()),
    ("Silver", (("days_since_joining", 30), ("onboarding_complete", 1))),
    ("Gold", (("days_since_joining", 180), ("active_reps", 1))),
    ("Platinum", (("days_since_joining", 365), ("active_reps", 2), ("active_users", 3))),
)
BENCH_STEPS = ("accept_agreement", "complete_profile", "invite_rep", "manual")
PARTNER_STATUS_SQL = f"""
    CASE WHEN {pct("n", 21)} < 5 THEN 'applicant' WHEN {pct("n", 21)} < 20 THEN 'onboarding'
         WHEN {pct("n", 21)} < 90 THEN 'active' WHEN {pct("n", 21)} < 95 THEN 'suspended' ELSE 'offboarded' END"""


def _generate_partners(cursor, plan: Plan) -> None:
    """Programs, tiers with criteria, checklist templates; partners across programs, statuses and tiers (a tenth
    below their tier since a while, 2% pinned), four onboarding steps each (done for active partners, some for the
    others), and the tenant's partner-role memberships attached to partners (so partners have 0 to ~3 reps).
    """
    programs = [(slug, name, approval, grace, i) for i, (slug, name, approval, grace) in enumerate(BENCH_PROGRAMS)]
    tiers = [(rank, name) for rank, (name, _criteria) in enumerate(BENCH_TIERS)]
    criteria = [(rank, metric, value) for rank, (_name, pairs) in enumerate(BENCH_TIERS) for metric, value in pairs]
    steps = list(enumerate(BENCH_STEPS))
    for tenant_id, slug in plan.tenants:
        args = {"tenant": tenant_id, "now": plan.now, "partners": plan.scale.partners, "slug": slug}
        for pslug, name, approval, grace, position in programs:
            cursor.execute(
                """
                INSERT INTO partners_program (name, slug, kind, summary, description, rules_of_engagement, is_public,
                    promotions_need_approval, demotion_grace_days, onboarding_target_days, application_questions,
                    position, created_at, tenant_id)
                VALUES (%(name)s, %(pslug)s, CASE WHEN %(pslug)s = 'referral' THEN 'referral' ELSE 'reseller' END,
                    '', '', '', true, %(approval)s, %(grace)s, 60, '[]'::jsonb, %(position)s, %(now)s, %(tenant)s)
                """,
                {**args, "name": name, "pslug": pslug, "approval": approval, "grace": grace, "position": position},
            )
        cursor.execute(
            """
            INSERT INTO partners_tier (program_id, name, rank, description, product_discount_pct,
                deal_registration_discount_pct, rebate_multiplier, mdf_allocation_per_quarter,
                mdf_reimbursement_cap_pct, perks, tenant_id)
            SELECT p.id, t.name, t.rank, '', 5 * t.rank, 2 * t.rank, 1 + 0.25 * t.rank, 5000 * t.rank, 50,
                   '[]'::jsonb, %(tenant)s
            FROM partners_program p CROSS JOIN unnest(%(ranks)s::int[], %(names)s::text[]) AS t(rank, name)
            WHERE p.tenant_id = %(tenant)s
            """,
            {**args, "ranks": [r for r, _n in tiers], "names": [n for _r, n in tiers]},
        )
        cursor.execute(
            """
            INSERT INTO partners_tiercriterion (tier_id, metric, threshold, tenant_id)
            SELECT t.id, c.metric, c.threshold, %(tenant)s
            FROM partners_tier t JOIN unnest(%(ranks)s::int[], %(metrics)s::text[], %(values)s::numeric[])
                AS c(rank, metric, threshold) ON c.rank = t.rank
            WHERE t.tenant_id = %(tenant)s
            """,
            {
                **args,
                "ranks": [r for r, _m, _v in criteria],
                "metrics": [m for _r, m, _v in criteria],
                "values": [v for _r, _m, v in criteria],
            },
        )
        cursor.execute(
            """
            INSERT INTO partners_checkliststeptemplate (program_id, kind, subject, title, description, is_required,
                position, tenant_id)
            SELECT p.id, s.kind, '', initcap(replace(s.kind, '_', ' ')), '', true, s.position, %(tenant)s
            FROM partners_program p CROSS JOIN unnest(%(positions)s::int[], %(kinds)s::text[]) AS s(position, kind)
            WHERE p.tenant_id = %(tenant)s
            """,
            {**args, "positions": [i for i, _k in steps], "kinds": [k for _i, k in steps]},
        )
        cursor.execute(
            f"""
            INSERT INTO partners_partner (name, website, domain, description, country, city, regions, types,
                verticals, capabilities, products_sold, other_vendor_programs, business_model, company_size, logo,
                status, status_changed_at, joined_at, onboarded_at, below_tier_since, tier_pinned_until,
                tier_pin_reason, created_at, updated_at, tenant_id, program_id, tier_id)
            SELECT 'Bench partner ' || n, 'https://p' || n || '.example', 'p' || n || '.' || %(slug)s || '.example',
                   '', 'NL', '', '{{europe}}', '{{reseller}}', '{{}}', '{{}}', '', '', '', '', '',
                   x.status, x.joined, x.joined,
                   CASE WHEN x.status IN ('active', 'suspended') THEN x.joined + interval '40 days' END,
                   CASE WHEN {pct("n", 25)} < 10 THEN (%(now)s - {pick("n", 26, "60")} * interval '1 day')::date END,
                   CASE WHEN {pct("n", 27)} < 2 THEN (%(now)s + interval '30 days')::date END,
                   CASE WHEN {pct("n", 27)} < 2 THEN 'Bench pin' ELSE '' END,
                   x.joined, x.joined, %(tenant)s, pr.id, ti.id
            FROM (
                SELECT n, {PARTNER_STATUS_SQL} AS status,
                       %(now)s - {pick("n", 22, "1100")} * interval '1 day' AS joined,
                       {pick("n", 23, "3")} - 1 AS program_position,
                       {pick("n", 24, "4")} - 1 AS tier_rank
                FROM generate_series(1, %(partners)s) AS n
            ) AS x
            JOIN partners_program pr ON pr.tenant_id = %(tenant)s AND pr.position = x.program_position
            JOIN partners_tier ti ON ti.program_id = pr.id AND ti.rank = x.tier_rank
            ORDER BY n
            """,
            args,
        )
        cursor.execute(
            f"""
            INSERT INTO partners_onboardingstep (partner_id, template_id, kind, subject, title, description,
                is_required, position, completed_at, completion_note, tenant_id)
            SELECT pa.id, st.id, st.kind, st.subject, st.title, '', true, st.position,
                   CASE WHEN pa.status IN ('active', 'suspended', 'offboarded') OR {pct("pa.id + st.position", 28)} < 60
                        THEN pa.joined_at + (st.position + 1) * interval '3 days' END,
                   '', %(tenant)s
            FROM partners_partner pa JOIN partners_checkliststeptemplate st ON st.program_id = pa.program_id
            WHERE pa.tenant_id = %(tenant)s
            """,
            args,
        )
        cursor.execute(
            f"""
            INSERT INTO partners_partneruser (partner_id, membership_id, created_at, tenant_id)
            SELECT pa.id, m.id, m.created_at, %(tenant)s
            FROM (
                SELECT id, created_at, {pick("id", 29, "%(partners)s")} AS k
                FROM accounts_membership
                WHERE tenant_id = %(tenant)s AND role IN ('partner_admin', 'partner_rep')
            ) AS m
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM partners_partner WHERE tenant_id = %(tenant)s)
                AS pa ON pa.k = m.k
            """,
            args,
        )


# Deals: registrations of customers drawn from one universe of companies (about three registrations per company over
# two years, so a customer recurs under other partners, legal forms and spellings) and house accounts drawn from the
# same universe. Names are composed from the word lists below; a few words carry accents or letters without an ASCII
# form, so the SQL normalisation is exercised on them too.
DEAL_HISTORY_DAYS = 730
REGISTRATIONS_PER_COMPANY = 3
BRAND_HEADS = (
    "Vel", "Zen", "Ork", "Quant", "Nova", "Astra", "Blu", "Cor", "Dyna", "Eco", "Flux", "Gala", "Hexa", "Ion",
    "Jet", "Kine", "Lumi", "Magn", "Neo", "Omni", "Pyra", "Qua", "Rho", "Sol", "Terra", "Ultra", "Vita", "Wex",
    "Xeno", "Yotta", "Zeta", "Arc", "Brio", "Cygn", "Delta", "Ever", "Fort", "Geo", "Heli", "Infi",
)  # fmt: skip
BRAND_TAILS = (
    "tronix", "ify", "ora", "wave", "sys", "tech", "lytics", "gen", "ium", "stream", "logic", "nex", "vance",
    "core", "grid", "ware", "mark", "point", "scape", "base", "link", "nova", "sphere", "works", "dyne",
)  # fmt: skip
ADJECTIVES = (
    "Global", "Northern", "Southern", "Eastern", "Western", "Pacific", "Atlantic", "Alpine", "Coastal", "Central",
    "United", "Advanced", "Integrated", "Strategic", "Premier", "Pioneer", "Summit", "Golden", "Silver", "Blue",
    "Green", "Red", "Bright", "Rapid", "Smart", "Open", "Prime", "Royal", "National", "International", "Metro",
    "Urban", "Digital", "Modern", "Classic", "First", "Apex", "Allied", "Dynamic", "Evergreen", "Granite", "Iron",
    "Liberty", "Meridian", "Noble", "Oak", "Pinnacle", "Quantum", "Redwood", "Sterling", "Titan", "Union",
    "Vanguard", "Westfield", "Crystal", "Horizon", "Keystone", "Lakeside", "Nordic", "Öko",
)  # fmt: skip
NOUNS = (
    "River", "Mountain", "Bridge", "Valley", "Harbor", "Stone", "Forest", "Lake", "Star", "Peak", "Field", "Ridge",
    "Bay", "Gate", "Tower", "Crest", "Park", "Coast", "Island", "Cedar", "Maple", "Pine", "Falcon", "Eagle", "Lion",
    "Wolf", "Bear", "Fox", "Hawk", "Anchor", "Beacon", "Compass", "Lighthouse", "Meadow", "Orchard", "Canyon",
    "Prairie", "Glacier", "Harvest", "Summit", "Sun", "Moon", "Ocean", "Castle", "Arrow", "Shield", "Crown", "Rock",
    "Müller", "Société", "Łódź", "Café", "Nordström", "Zürich", "São Paulo", "Ålesund", "Groß", "Øresund",
    "Kraków", "Genève",
)  # fmt: skip
SECTORS = (
    "Systems", "Solutions", "Technologies", "Logistics", "Analytics", "Software", "Networks", "Consulting",
    "Partners", "Industries", "Manufacturing", "Healthcare", "Pharmaceuticals", "Foods", "Energy", "Capital",
    "Insurance", "Bank", "Retail", "Media", "Telecom", "Security", "Robotics", "Engineering", "Construction", "Labs",
    "Motors", "Airlines", "Shipping", "Hotels", "Realty", "Textiles", "Chemicals", "Electronics", "Semiconductors",
    "Biotech", "Agriculture", "Education", "Studios", "Advisors",
)  # fmt: skip
# Legal forms appended to a company's name, "" the most common; normalisation drops most ("B.V." becomes "b v").
LEGAL_FORMS = (
    "", "", "", "", "", " Inc", " Inc.", ", Inc.", " Incorporated", " Corp", " Corp.", " Corporation", " Ltd",
    " Ltd.", " Limited", " LLC", " L.L.C.", " GmbH", " GmbH & Co. KG", " AG", " B.V.", " BV", " N.V.", " S.A.",
    " SAS", " S.r.l.", " plc", " PLC", " Pty Ltd", " Oy", " AB", " Group", " Holdings", " & Co.",
)  # fmt: skip
COUNTRIES = ("NL", "DE", "FR", "GB", "US", "ES", "IT", "SE", "PL", "BE", "CH", "AT")
FIRST_NAMES = ("Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jonas", "Kate", "Liam")
LAST_NAMES = ("Jansen", "Smith", "Martin", "Garcia", "Rossi", "Novak", "Berg", "Dubois", "Kowalski", "Brown")
REJECT_REASONS = ("Customer is a house account", "Duplicate of an earlier registration", "Not a qualified opportunity")
LOST_REASONS = ("Chose a competitor", "No budget", "Project cancelled", "No decision")
DEAL_WORDS = {
    "heads": list(BRAND_HEADS),
    "tails": list(BRAND_TAILS),
    "adjectives": list(ADJECTIVES),
    "nouns": list(NOUNS),
    "sectors": list(SECTORS),
}
NORMALISE_FUNCTION = "pg_temp.bench_normalise_company_name"
# Latin letters, their accented forms and the compatibility characters near them (U+00A0–U+024F, U+1E00–U+1EFF):
# what the SQL folds to ASCII exactly as NFKD + ASCII-ignore does. Other non-ASCII characters are dropped, as Python
# drops them too unless they decompose to ASCII (full-width forms, ligatures such as "ﬁ"): the generator uses none.
_FOLDED_RANGES = (range(0xA0, 0x250), range(0x1E00, 0x1F00))


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def normalise_function_sql() -> str:
    """SQL creating `pg_temp.bench_normalise_company_name(text)`: deals.rules.normalise_company_name in PL/pgSQL.

    Step by step as the Python rule: fold accents to ASCII and drop other non-ASCII characters, lower-case, join
    letters around a dot, split on anything but [0-9a-z], drop the legal forms (unless nothing else is left) and
    join with single spaces.
    """
    from deals.rules import LEGAL_SUFFIXES

    single_from, single_to, multi = [], [], []
    for block in _FOLDED_RANGES:
        for char in map(chr, block):
            folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            if len(folded) == 1:
                single_from.append(char)
                single_to.append(folded)
            elif folded:
                multi.append((char, folded))
    folded_sql = f"translate(words, {_sql_literal(''.join(single_from))}, {_sql_literal(''.join(single_to))})"
    for char, folded in multi:
        folded_sql = f"replace({folded_sql}, {_sql_literal(char)}, {_sql_literal(folded)})"
    suffixes = "|".join(sorted(LEGAL_SUFFIXES))
    return f"""
        CREATE OR REPLACE FUNCTION {NORMALISE_FUNCTION}(name text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $normalise$
        DECLARE
            words text := coalesce(name, '');
            meaningful text;
        BEGIN
            IF words ~ '[^\\x01-\\x7f]' THEN
                words := regexp_replace({folded_sql}, '[^\\x01-\\x7f]', '', 'g');
            END IF;
            words := regexp_replace(lower(words), '(?<=[a-z])\\.(?=[a-z])', '', 'g');
            words := btrim(regexp_replace(words, '[^0-9a-z]+', ' ', 'g'));
            meaningful := btrim(regexp_replace(' ' || words || ' ', ' (?:{suffixes})(?= )', '', 'g'));
            RETURN CASE WHEN meaningful = '' THEN words ELSE meaningful END;
        END
        $normalise$
    """


def company_name_sql(k: str) -> str:
    """SQL: the name of company number `k` (an integer expression), such as "Veltronix Harbor Logistics".

    Needs DEAL_WORDS bound as parameters. 30% "<brand> <sector>", 35% "<brand> <noun> <sector>" and 35% the generic
    "<adjective> <noun> <sector>", of which there are only 96,000: different companies share those names.
    """

    def word(key: str, words: tuple[str, ...], seed: int) -> str:
        return f"(%({key})s::text[])[{pick(k, seed, str(len(words)))}]"

    brand = f"{word('heads', BRAND_HEADS, 42)} || {word('tails', BRAND_TAILS, 43)}"
    sector = word("sectors", SECTORS, 44)
    noun = word("nouns", NOUNS, 45)
    return f"""CASE WHEN {pct(k, 41)} < 30 THEN {brand} || ' ' || {sector}
                WHEN {pct(k, 41)} < 65 THEN {brand} || ' ' || {noun} || ' ' || {sector}
                ELSE {word("adjectives", ADJECTIVES, 46)} || ' ' || {noun} || ' ' || {sector} END"""


def deal_companies(scale: Scale) -> int:
    return max(1, scale.deals // REGISTRATIONS_PER_COMPANY)


def _create_companies(cursor, companies: int) -> None:
    """bench_company(k, name, domain): the customer universe, the same for every tenant."""
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_company ON COMMIT DROP AS
        SELECT k, name, replace({NORMALISE_FUNCTION}(name), ' ', '-') || '.example' AS domain
        FROM (SELECT k, {company_name_sql("k")} AS name FROM generate_series(1, %(companies)s) AS k) AS c
        """,
        {**DEAL_WORDS, "companies": companies},
    )
    cursor.execute("ALTER TABLE bench_company ADD PRIMARY KEY (k)")
    cursor.execute("ANALYZE bench_company")


def _generate_house_accounts(cursor, plan: Plan, companies: int) -> None:
    for tenant_id, _slug in plan.tenants:
        cursor.execute(
            f"""
            INSERT INTO deals_houseaccount (company_name, name_normalised, domain, owner_name, owner_email, notes,
                created_at, tenant_id)
            SELECT h.company_name, {NORMALISE_FUNCTION}(h.company_name),
                   CASE WHEN {pct("j", 82)} < 10 THEN '' ELSE c.domain END,
                   h.first || ' ' || h.last, lower(h.first || '.' || h.last) || '@vendor.example', '',
                   %(now)s - {pick("j", 83, "1000")} * interval '1 day', %(tenant)s
            FROM generate_series(1, %(houses)s) AS j
            JOIN bench_company c ON c.k = {pick("j", 80, "%(companies)s")}
            CROSS JOIN LATERAL (
                SELECT c.name || (%(forms)s::text[])[{pick("j", 81, str(len(LEGAL_FORMS)))}] AS company_name,
                       (%(first_names)s::text[])[{pick("j", 84, str(len(FIRST_NAMES)))}] AS first,
                       (%(last_names)s::text[])[{pick("j", 85, str(len(LAST_NAMES)))}] AS last
            ) AS h
            ORDER BY j
            """,
            {
                "tenant": tenant_id,
                "now": plan.now,
                "houses": plan.scale.house_accounts,
                "companies": companies,
                "forms": list(LEGAL_FORMS),
                "first_names": list(FIRST_NAMES),
                "last_names": list(LAST_NAMES),
            },
        )


# Status by age: recent registrations are still open, older ones closed; ~14% submitted/approved in all.
DEAL_STATUS_SQL = f"""
    CASE WHEN a.age_days <= 14 THEN
              CASE WHEN {pct("g", 51)} < 7 THEN 'draft' WHEN {pct("g", 51)} < 57 THEN 'submitted'
                   WHEN {pct("g", 51)} < 97 THEN 'approved' ELSE 'rejected' END
         WHEN a.age_days <= 120 THEN
              CASE WHEN {pct("g", 51)} < 85 THEN 'approved' WHEN {pct("g", 51)} < 90 THEN 'won'
                   WHEN {pct("g", 51)} < 95 THEN 'lost' ELSE 'rejected' END
         ELSE CASE WHEN {pct("g", 51)} < 40 THEN 'won' WHEN {pct("g", 51)} < 80 THEN 'lost'
                   WHEN {pct("g", 51)} < 92 THEN 'expired' ELSE 'rejected' END END"""


def _generate_deals(cursor, plan: Plan) -> None:
    """House accounts, then registrations of all tenants interleaved in time over two years (inserted in that
    order), each by one of the tenant's partners that have users (not applicants), registered by one of its users.

    A registration names a company of the universe with one of the LEGAL_FORMS, 3% with a typo and 4% in capitals;
    its domain is the company's (10% none, 4% a regional sub-domain). Approval protects for 90 days (+30 with an
    extension); approved registrations older than that are expired, closed ones keep their dates and reasons.
    """
    cursor.execute(normalise_function_sql())
    companies = deal_companies(plan.scale)
    _create_companies(cursor, companies)
    _generate_house_accounts(cursor, plan, companies)
    cursor.execute(
        """
        CREATE TEMP TABLE bench_deal_partner ON COMMIT DROP AS
        SELECT p.tenant_id, row_number() OVER (PARTITION BY p.tenant_id ORDER BY p.id) AS k, p.id AS partner_id,
               (SELECT array_agg(m.user_id ORDER BY m.id) FROM partners_partneruser pu
                JOIN accounts_membership m ON m.id = pu.membership_id WHERE pu.partner_id = p.id) AS users
        FROM partners_partner p
        WHERE p.tenant_id = ANY(%(tenants)s) AND p.status <> 'applicant'
          AND EXISTS (SELECT 1 FROM partners_partneruser pu WHERE pu.partner_id = p.id)
        """,
        {"tenants": plan.tenant_ids},
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_deal_partner (tenant_id, k)")
    cursor.execute(
        """
        CREATE TEMP TABLE bench_deal_tenant ON COMMIT DROP AS
        SELECT p.tenant_id, count(*) AS partners,
               (SELECT ms.user_id FROM accounts_membership ms
                WHERE ms.tenant_id = p.tenant_id AND ms.role = 'tenant_admin' ORDER BY ms.id LIMIT 1) AS admin_id
        FROM bench_deal_partner p GROUP BY p.tenant_id
        """
    )
    cursor.execute("SELECT count(*) FROM bench_deal_tenant")
    if cursor.fetchone()[0] != len(plan.tenants):
        raise SetupError("deals need partners with users in every bench tenant: the partners group makes them")
    cursor.execute("ANALYZE bench_deal_partner")
    cursor.execute("ANALYZE bench_deal_tenant")

    tenants_count = len(plan.tenants)
    total = plan.scale.deals * tenants_count
    typo_at = f"(1 + {pick('g', 71, '(length(c.name) - 2)')})::int"  # a letter dropped, never the first or last
    for first in range(1, total + 1, INSERT_CHUNK):
        last = min(first + INSERT_CHUNK - 1, total)
        cursor.execute(
            f"""
            INSERT INTO deals_deal (status, source, customer_name, customer_name_normalised, customer_domain,
                country, contact_name, contact_email, contact_phone, expected_close_date, estimated_value, currency,
                notes, special_discount_pct, submitted_at, review_due_at, decided_at, decision_reason,
                protected_until, extensions_used, closed_at, closed_amount, lost_reason, created_at, updated_at,
                decided_by_id, partner_id, registered_by_id, tenant_id, lead_id)
            SELECT st.status,
                   CASE WHEN {pct("g", 61)} < 10 THEN 'vendor_lead' ELSE 'partner_sourced' END,
                   n.customer_name, {NORMALISE_FUNCTION}(n.customer_name), n.domain,
                   (%(countries)s::text[])[{pick("g", 64, str(len(COUNTRIES)))}],
                   n.first || ' ' || n.last,
                   CASE WHEN n.domain = '' THEN '' ELSE lower(n.first || '.' || n.last) || '@' || n.domain END,
                   '+31 20 ' || lpad({pick("g", 67, "9999999")}::text, 7, '0'),
                   (e.created_at + (30 + {pick("g", 68, "150")}) * interval '1 day')::date,
                   v.estimated_value,
                   CASE WHEN {pct("g", 63)} < 60 THEN 'USD' WHEN {pct("g", 63)} < 90 THEN 'EUR' ELSE 'GBP' END,
                   '',
                   CASE WHEN st.status IN ('approved', 'won') AND {pct("g", 60)} < 4 THEN 5.00 END,
                   sb.submitted_at,
                   sb.submitted_at + CASE extract(isodow FROM sb.submitted_at)
                       WHEN 4 THEN 4 WHEN 5 THEN 4 WHEN 6 THEN 3 ELSE 2 END * interval '1 day',
                   dc.decided_at,
                   CASE WHEN st.status = 'rejected'
                        THEN (%(reject_reasons)s::text[])[{pick("g", 59, str(len(REJECT_REASONS)))}] ELSE '' END,
                   dc.protected_until,
                   dc.extensions,
                   dc.closed_at,
                   CASE WHEN st.status = 'won'
                        THEN round(v.estimated_value * (80 + {pct("g", 58)} * 0.4) / 100, 2) END,
                   CASE WHEN st.status = 'lost'
                        THEN (%(lost_reasons)s::text[])[{pick("g", 59, str(len(LOST_REASONS)))}] ELSE '' END,
                   e.created_at,
                   GREATEST(e.created_at, sb.submitted_at, dc.decided_at, dc.closed_at,
                            CASE WHEN st.status = 'expired' THEN dc.protected_until::timestamptz END),
                   CASE WHEN dc.decided_at IS NOT NULL THEN t.admin_id END,
                   p.partner_id,
                   p.users[1 + g %% cardinality(p.users)],
                   e.tenant_id,
                   NULL
            FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
            CROSS JOIN LATERAL (
                SELECT (%(tenants)s::bigint[])[1 + g %% %(tenants_count)s] AS tenant_id,
                       %(now)s::timestamptz - %(span)s * interval '1 second'
                           + ((g - 1)::float8 / %(total)s * %(span)s) * interval '1 second' AS created_at
            ) AS e
            CROSS JOIN LATERAL (
                SELECT extract(epoch FROM %(now)s::timestamptz - e.created_at) / 86400 AS age_days
            ) AS a
            CROSS JOIN LATERAL (SELECT {DEAL_STATUS_SQL} AS status) AS st
            CROSS JOIN LATERAL (
                SELECT CASE WHEN st.status <> 'draft'
                            THEN e.created_at + {pick("g", 53, "90")} * interval '1 minute' END AS submitted_at,
                       CASE WHEN st.status = 'approved' AND a.age_days > 85 THEN 1
                            WHEN st.status IN ('won', 'lost', 'expired') AND a.age_days > 130
                                 AND {pct("g", 56)} < 5 THEN 1
                            ELSE 0 END AS extensions
            ) AS sb
            CROSS JOIN LATERAL (
                SELECT d.decided_at,
                       CASE WHEN st.status IN ('approved', 'won', 'lost', 'expired')
                            THEN (d.decided_at + (90 + 30 * sb.extensions) * interval '1 day')::date END
                           AS protected_until,
                       sb.extensions,
                       CASE WHEN st.status IN ('won', 'lost')
                            THEN LEAST(d.decided_at + {pick("g", 57, "85")} * interval '1 day',
                                       %(now)s - interval '1 hour') END AS closed_at
                FROM (
                    SELECT CASE WHEN st.status NOT IN ('draft', 'submitted')
                                THEN LEAST(sb.submitted_at + {pick("g", 54, "96")} * interval '1 hour', %(now)s)
                           END AS decided_at
                ) AS d
            ) AS dc
            CROSS JOIN LATERAL (SELECT ({pick("g", 62, "400")} * 1250)::numeric(14, 2) AS estimated_value) AS v
            JOIN bench_company c ON c.k = {pick("g", 50, "%(companies)s")}
            CROSS JOIN LATERAL (
                SELECT CASE WHEN {pct("g", 73)} < 4 THEN upper(x.name) ELSE x.name END AS customer_name,
                       CASE WHEN {pct("g", 74)} < 10 THEN '' WHEN {pct("g", 74)} < 14 THEN 'eu.' || c.domain
                            ELSE c.domain END AS domain,
                       (%(first_names)s::text[])[{pick("g", 65, str(len(FIRST_NAMES)))}] AS first,
                       (%(last_names)s::text[])[{pick("g", 66, str(len(LAST_NAMES)))}] AS last
                FROM (
                    SELECT CASE WHEN {pct("g", 70)} < 3
                                THEN overlay(c.name PLACING '' FROM {typo_at} FOR 1)
                                ELSE c.name END
                           || (%(forms)s::text[])[{pick("g", 72, str(len(LEGAL_FORMS)))}] AS name
                ) AS x
            ) AS n
            JOIN bench_deal_tenant t ON t.tenant_id = e.tenant_id
            JOIN bench_deal_partner p ON p.tenant_id = e.tenant_id AND p.k = {pick("g", 75, "t.partners")}
            ORDER BY g
            """,
            {
                "first": first,
                "last": last,
                "total": total,
                "tenants": plan.tenant_ids,
                "tenants_count": tenants_count,
                "now": plan.now,
                "span": DEAL_HISTORY_DAYS * 86400,
                "companies": companies,
                "countries": list(COUNTRIES),
                "forms": list(LEGAL_FORMS),
                "first_names": list(FIRST_NAMES),
                "last_names": list(LAST_NAMES),
                "reject_reasons": list(REJECT_REASONS),
                "lost_reasons": list(LOST_REASONS),
            },
        )
        if total > INSERT_CHUNK:
            print(f"    deals: {last:,} / {total:,}", flush=True)
    check_normalisation_sample(cursor, plan.tenant_ids[0])


def check_normalisation_sample(cursor, tenant_id: int) -> None:
    """The stored normalised names must be what deals.rules.normalise_company_name makes of the names."""
    from deals.rules import normalise_company_name

    cursor.execute(
        """
        (SELECT customer_name, customer_name_normalised FROM deals_deal TABLESAMPLE SYSTEM (1) REPEATABLE (7)
         WHERE tenant_id = %(tenant)s LIMIT 2000)
        UNION ALL
        (SELECT customer_name, customer_name_normalised FROM deals_deal
         WHERE tenant_id = %(tenant)s AND customer_name ~ '[^\\x01-\\x7f]' LIMIT 1000)
        UNION ALL
        (SELECT company_name, name_normalised FROM deals_houseaccount WHERE tenant_id = %(tenant)s LIMIT 1000)
        """,
        {"tenant": tenant_id},
    )
    rows = cursor.fetchall()
    wrong = [(name, stored) for name, stored in rows if normalise_company_name(name) != stored]
    if wrong:
        examples = "; ".join(f"{name!r} -> {stored!r}" for name, stored in wrong[:5])
        raise SetupError(f"SQL normalisation disagrees with deals.rules on {len(wrong)} of {len(rows)}: {examples}")
    print(f"    normalised names: SQL agrees with deals.rules.normalise_company_name on {len(rows):,} sampled")


def bench_sales_quarter(now: datetime) -> tuple:
    """The last closed calendar quarter before `now`: the sales group books every sale line inside it, so
    `incentive_run.py` computes one quarter over all of them."""
    first_of_quarter = now.date().replace(month=3 * ((now.month - 1) // 3) + 1, day=1)
    last = first_of_quarter - timedelta(days=1)
    return last.replace(month=3 * ((last.month - 1) // 3) + 1, day=1), last


def _generate_sales(cursor, plan: Plan) -> None:
    """`scale.sales_lines` sale records per tenant, all booked in the last closed quarter (bench_sales_quarter),
    tenants interleaved and booked in date order, spread over all the tenant's partners (applicants too: a run
    reads only the eligible ones). Amounts 50–749.99 scaled by a per-partner factor of 1/3 to 5/3, so quarterly
    revenue per partner at M (about 500 lines) lies around 70k–330k and crosses the usual rebate bands."""
    first, last = bench_sales_quarter(plan.now)
    days = (last - first).days + 1
    cursor.execute(
        """
        CREATE TEMP TABLE bench_sale_partner ON COMMIT DROP AS
        SELECT p.tenant_id, row_number() OVER (PARTITION BY p.tenant_id ORDER BY p.id) AS k, p.id AS partner_id
        FROM partners_partner p WHERE p.tenant_id = ANY(%(tenants)s)
        """,
        {"tenants": plan.tenant_ids},
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_sale_partner (tenant_id, k)")
    cursor.execute(
        """
        CREATE TEMP TABLE bench_sale_tenant ON COMMIT DROP AS
        SELECT t.id AS tenant_id, t.currency, count(*) AS partners, ord.i
        FROM tenancy_tenant t JOIN bench_sale_partner p ON p.tenant_id = t.id
        JOIN unnest(%(tenants)s::bigint[]) WITH ORDINALITY AS ord(id, i) ON ord.id = t.id
        GROUP BY t.id, t.currency, ord.i
        """,
        {"tenants": plan.tenant_ids},
    )
    cursor.execute("SELECT count(*) FROM bench_sale_tenant")
    if cursor.fetchone()[0] != len(plan.tenants):
        raise SetupError("sales need partners in every bench tenant: the partners group makes them")
    cursor.execute("ANALYZE bench_sale_partner")
    cursor.execute("ANALYZE bench_sale_tenant")
    tenants_count = len(plan.tenants)
    total = plan.scale.sales_lines * tenants_count
    for start in range(1, total + 1, INSERT_CHUNK):
        end = min(start + INSERT_CHUNK - 1, total)
        cursor.execute(
            f"""
            INSERT INTO deals_salerecord (tenant_id, external_id, partner_id, customer_name, customer_domain,
                booked_on, quantity, amount, currency, kind, source, created_at)
            SELECT t.tenant_id, 'BENCH-' || g, p.partner_id, 'Bench customer ' || ({pick("g", 81, "40000")}), '',
                   %(first)s::date + ((g - 1) * %(days)s / %(total)s)::int, 1,
                   ROUND((50 + {pick("g", 82, "70000")} / 100.0) * (1 + p.k %% 5) / 3, 2), t.currency,
                   CASE WHEN {pct("g", 83)} < 60 THEN 'new' WHEN {pct("g", 83)} < 80 THEN 'renewal'
                        WHEN {pct("g", 83)} < 90 THEN 'expansion' ELSE 'one_time' END,
                   'import', %(now)s - interval '1 day'
            FROM generate_series(%(start)s::bigint, %(end)s::bigint) AS g
            JOIN bench_sale_tenant t ON t.i = 1 + (g - 1) %% %(tenants)s
            JOIN bench_sale_partner p ON p.tenant_id = t.tenant_id AND p.k = {pick("g", 84, "t.partners")}
            """,
            {
                "first": first,
                "days": days,
                "total": total,
                "tenants": tenants_count,
                "start": start,
                "end": end,
                "now": plan.now,
            },
        )
        print(f"    sales lines: {end:,} / {total:,}", flush=True)


GROUPS: list[TableGroup] = [
    TableGroup(
        "people",
        ("accounts_membership",),
        lambda s: {"accounts_membership": s.members},
        _generate_people,
    ),
    TableGroup(
        "api tokens",
        ("api_apitoken",),
        lambda s: {"api_apitoken": sum(_token_count(n) for n in range(1, s.members + 1))},
        _generate_tokens,
    ),
    TableGroup(
        "audit events",
        ("audit_auditevent",),
        lambda s: {"audit_auditevent": s.audit_events},
        _generate_audit,
    ),
    TableGroup(
        "partners",
        ("partners_program", "partners_tier", "partners_tiercriterion", "partners_partner", "partners_onboardingstep"),
        lambda s: {
            "partners_program": len(BENCH_PROGRAMS),
            "partners_tier": len(BENCH_PROGRAMS) * len(BENCH_TIERS),
            "partners_tiercriterion": len(BENCH_PROGRAMS) * sum(len(pairs) for _name, pairs in BENCH_TIERS),
            "partners_partner": s.partners,
            "partners_onboardingstep": s.partners * len(BENCH_STEPS),
        },
        _generate_partners,
    ),
    TableGroup(
        "deals",
        ("deals_houseaccount", "deals_deal"),
        lambda s: {"deals_houseaccount": s.house_accounts, "deals_deal": s.deals},
        _generate_deals,
    ),
    TableGroup(
        "sales",
        ("deals_salerecord",),
        lambda s: {"deals_salerecord": s.sales_lines},
        _generate_sales,
    ),
]
# Tables without a tenant column that generation fills: VACUUM ANALYZEd with the groups' tables.
SHARED_TABLES = ("accounts_user",)


# --- Inspection ----------------------------------------------------------------------------------------------------


def _owner():
    from django.db import connections

    return connections["owner"]


def tenant_owned_tables() -> list[str]:
    from django.apps import apps

    from prm.tenancy.models import TenantOwned

    return sorted({m._meta.db_table for m in apps.get_models() if issubclass(m, TenantOwned)})


def verify_owner_sees_all(cursor) -> str:
    """The owner must write and read every tenant's rows through the platform policy, never by bypassing RLS."""
    from django.conf import settings

    platform = settings.PRM_DB_PLATFORM_ROLE
    cursor.execute(
        "SELECT current_user, pg_has_role(current_user, %s, 'USAGE'), rolsuper, rolbypassrls "
        "FROM pg_roles WHERE rolname = current_user",
        [platform],
    )
    user, inherits, superuser, bypass = cursor.fetchone()
    if not inherits:
        raise SetupError(f"The owner role {user} does not inherit {platform}: RLS would refuse its writes.")
    if superuser or bypass:
        raise SetupError(f"The owner role {user} bypasses RLS (superuser/BYPASSRLS); it must not.")
    cursor.execute("SELECT current_setting('prm.tenant_id', true)")
    if cursor.fetchone()[0]:
        raise SetupError("prm.tenant_id is set on the owner connection; the generator expects it unset.")
    return f"{user} (inherits {platform}, not superuser, not BYPASSRLS, prm.tenant_id unset)"


def count_rows(cursor, tables: list[str], tenant_ids: list[int]) -> dict[str, dict[int, int]]:
    """Rows per table and tenant, read as the owner (platform policy: all tenants visible)."""
    counts: dict[str, dict[int, int]] = {}
    for table in tables:
        cursor.execute(
            f'SELECT tenant_id, count(*) FROM "{table}" WHERE tenant_id = ANY(%s) GROUP BY tenant_id', [tenant_ids]
        )
        found = dict(cursor.fetchall())
        counts[table] = {tenant_id: found.get(tenant_id, 0) for tenant_id in tenant_ids}
    return counts


def count_bench_users(cursor) -> int:
    cursor.execute("SELECT count(*) FROM accounts_user WHERE email LIKE %s", [f"%{benchlib.USER_EMAIL_SUFFIX}"])
    return cursor.fetchone()[0]


def group_status(group: TableGroup, scale: Scale, counts: dict[str, dict[int, int]]) -> str:
    """'empty', 'present' (at this scale, allowing a few rows the benches add) or 'mismatch'."""
    expected = group.expected(scale)
    values = [(counts[t][tenant_id], expected[t]) for t in group.tables for tenant_id in counts[t]]
    if all(found == 0 for found, _ in values):
        return "empty"
    if all(want <= found <= want * 1.01 + 50 for found, want in values):
        return "present"
    return "mismatch"


# --- Reset ---------------------------------------------------------------------------------------------------------


def reset(cursor, tenant_ids: list[int]) -> None:
    """Delete every bench tenant's rows (all TenantOwned tables) and the bench users; keep the tenants."""
    tables = tenant_owned_tables()
    exclusive, shared = [], []
    for table in tables:
        cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}" WHERE tenant_id <> ALL(%s))', [tenant_ids])
        (shared if cursor.fetchone()[0] else exclusive).append(table)
    if exclusive:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in exclusive))
    for table in shared:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgname = %s",
            [table, "prm_append_only"],
        )
        append_only = cursor.fetchone() is not None
        if append_only:  # the bench's own rows only; re-enabled in the same transaction
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER prm_append_only')
        cursor.execute(f'DELETE FROM "{table}" WHERE tenant_id = ANY(%s)', [tenant_ids])
        if append_only:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER prm_append_only')
    # Users are not tenant-owned: remove what still references the bench users, then the users.
    bench_users = "SELECT id FROM accounts_user WHERE email LIKE %s"
    pattern = f"%{benchlib.USER_EMAIL_SUFFIX}"
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname
        FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = 'accounts_user'::regclass AND c.conrelid <> c.confrelid
        """
    )
    for table, column in cursor.fetchall():
        if table.strip('"') not in tables:
            cursor.execute(f'DELETE FROM {table} WHERE "{column}" IN ({bench_users})', [pattern])
    cursor.execute(f"DELETE FROM accounts_user WHERE id IN ({bench_users})", [pattern])


# --- Main ----------------------------------------------------------------------------------------------------------


def ensure_tenants(count: int) -> list[tuple[int, str]]:
    from prm.tenancy.models import Tenant

    tenants = []
    for index in range(1, count + 1):
        slug = benchlib.tenant_slug(index)
        tenant, _created = Tenant.objects.using("owner").get_or_create(
            slug=slug, defaults={"name": f"Bench Vendor {index}", "portal_title": f"Bench {index} Partner Portal"}
        )
        tenants.append((tenant.pk, tenant.slug))
    return tenants


def content_type_ids(cursor) -> dict[str, int]:
    cursor.execute("SELECT app_label || '.' || model, id FROM django_content_type")
    return dict(cursor.fetchall())


def print_counts(cursor, tenants: list[tuple[int, str]], title: str) -> None:
    groups_tables = [t for g in GROUPS for t in g.tables]
    counts = count_rows(cursor, groups_tables, [tid for tid, _ in tenants])
    rows = [[slug, *(f"{counts[t][tid]:,}" for t in groups_tables)] for tid, slug in tenants]
    totals = []
    for table in groups_tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # owner: every tenant's rows
        totals.append(f"{cursor.fetchone()[0]:,}")
    rows.append(["(whole table)", *totals])
    print_table(["tenant", *groups_tables], rows, title=title)
    print(f"bench users (accounts_user): {count_bench_users(cursor):,}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Generate bench tenants (members, API tokens, audit events) with set-based SQL.",
        epilog="Scales per tenant: "
        + "; ".join(f"{s.name} = {s.members:,} members, {s.audit_events:,} audit events" for s in SCALES.values()),
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="S", help="data volume per tenant (default S)")
    parser.add_argument("--tenants", type=int, default=2, help="tenants of equal size; the first is measured")
    parser.add_argument("--reset", action="store_true", help="delete the bench tenants' data first")
    args = parser.parse_args()
    if args.tenants < 1:
        parser.error("--tenants must be at least 1")

    benchlib.setup()
    from django.db import transaction

    scale = SCALES[args.scale]
    print(f"database: {benchlib.database_label()}")
    print(f"scale {scale.name}: {scale.members:,} members, {scale.audit_events:,} audit events per tenant, ", end="")
    print(f"{args.tenants} tenants")
    started = time.perf_counter()
    owner = _owner()
    tenants = ensure_tenants(args.tenants)
    with owner.cursor() as cursor:
        print(f"writing as: {verify_owner_sees_all(cursor)}")
        if args.reset:
            every_bench = [t.pk for t in benchlib.bench_tenants()]
            t0 = time.perf_counter()
            with transaction.atomic(using="owner"):
                reset(cursor, every_bench)
            print(f"reset: {len(every_bench)} bench tenants emptied in {time.perf_counter() - t0:.1f}s")

        plan = Plan(scale, tenants, datetime.now().astimezone(), content_type_ids(cursor))
        tables = [t for g in GROUPS for t in g.tables]
        counts = count_rows(cursor, tables, plan.tenant_ids)
        statuses = {g.name: group_status(g, scale, counts) for g in GROUPS}
        mismatched = [name for name, status in statuses.items() if status == "mismatch"]
        if mismatched:
            print_counts(cursor, tenants, "existing rows")
            raise SetupError(
                f"existing data of {', '.join(mismatched)} does not match scale {scale.name} "
                f"with {args.tenants} tenants; rerun with --reset"
            )
        generated = []
        for group in GROUPS:
            if statuses[group.name] == "present":
                print(f"{group.name}: present at scale {scale.name}, skipped")
                continue
            t0 = time.perf_counter()
            with transaction.atomic(using="owner"):
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL work_mem = '256MB'")
                group.generate(cursor, plan)
            generated.append(group)
            print(f"{group.name}: generated in {time.perf_counter() - t0:.1f}s", flush=True)

        if generated:
            t0 = time.perf_counter()
            for table in [*SHARED_TABLES, *(t for g in generated for t in g.tables)]:
                # Sets the visibility map as autovacuum would in production, and refreshes statistics.
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
            print(f"VACUUM (ANALYZE): {time.perf_counter() - t0:.1f}s")
            # Read back with no tenant set: only the platform policy can make these rows visible.
            after = count_rows(cursor, tables, plan.tenant_ids)
            for group in generated:
                if group_status(group, scale, after) != "present":
                    raise SetupError(f"{group.name}: rows written are not all visible to the owner; see counts")
            print("verified: the owner reads back every tenant's rows through the platform policy")
        print_counts(cursor, tenants, f"rows per tenant (scale {scale.name})")
    print(f"\ntotal elapsed: {time.perf_counter() - started:.1f}s" + ("" if generated else " (nothing to generate)"))
    return 0


if __name__ == "__main__":
    benchlib.run(main)
