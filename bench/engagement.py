"""The engagement score (`content.engagement.engagement_90d`) of every partner of a tenant, next to one hand-written SQL
statement of the same four counts.

    python bench/engagement.py [--repeat 10] [--warmup 2] [--tenant bench-1]

Needs the partners group of `datagen.py` (its partners, partner users and memberships).

  activity  made once in the measured tenant (kept): per partner user, sign-ins over the last 120 days (0–30 each);
            per partner, content views and downloads (0–60) of one bench asset; a course with passing and failing
            quiz attempts (some passed twice); a reward and redemptions (every tenth refused). All by set-based
            `INSERT … SELECT` on the owner connection, then ANALYZE, as autovacuum would.
  metric    `engagement_90d(Partner.objects.all())` on the app connection in the tenant's context (RLS applies), as
            the tier evaluation calls every metric: one query for all partners, then the score in Python.
  floor     one SQL statement grouping each input by partner (checked equal to the metric's counts before timing).
"""

from __future__ import annotations

import benchlib
from benchlib import SetupError, ms, print_table, ratio

COURSE = "bench-engagement"
ACTIVITY_SQL = [
    # Sign-ins: 0–30 per partner user, spread over the last 120 days.
    """
    INSERT INTO accounts_signin (membership_id, signed_in_at, tenant_id)
    SELECT pu.membership_id, now() - ((g * 7919 + pu.id) %% 120) * interval '1 day' - (g %% 24) * interval '1 hour',
           %(tenant)s
    FROM partners_partneruser pu CROSS JOIN generate_series(1, 30) g
    WHERE pu.tenant_id = %(tenant)s AND g <= (pu.id * 7) %% 31
    """,
    # Content views and downloads: 0–60 per partner over the last 120 days.
    """
    INSERT INTO content_assetevent (asset_id, kind, partner_id, occurred_at, tenant_id)
    SELECT %(asset)s, CASE WHEN g %% 3 = 0 THEN 'download' ELSE 'view' END, p.id,
           now() - ((g * 104729 + p.id) %% 120) * interval '1 day', %(tenant)s
    FROM partners_partner p CROSS JOIN generate_series(1, 60) g
    WHERE p.tenant_id = %(tenant)s AND g <= (p.id * 37) %% 61
    """,
    # Quiz attempts: per partner user 0–3 attempts, every other one passed, over the last 200 days.
    """
    INSERT INTO content_attempt (course_id, user_id, partner_id, answers, correct, total, score, pass_mark, passed,
                                 submitted_at, tenant_id)
    SELECT %(course)s, m.user_id, pu.partner_id, '{}'::jsonb, 4, 4, 100, 80, g %% 2 = 1,
           now() - ((g * 613 + pu.id) %% 200) * interval '1 day', %(tenant)s
    FROM partners_partneruser pu JOIN accounts_membership m ON m.id = pu.membership_id
    CROSS JOIN generate_series(1, 3) g
    WHERE pu.tenant_id = %(tenant)s AND g <= pu.id %% 4
    """,
    # Redemptions: per partner user 0–2 over the last 120 days, every tenth refused.
    """
    INSERT INTO incentives_redemption (reward_id, user_id, partner_id, points, status, note, requested_at,
                                       decision_note, tenant_id)
    SELECT %(reward)s, m.user_id, pu.partner_id, 100,
           CASE WHEN (pu.id + g) %% 10 = 0 THEN 'refused' ELSE 'fulfilled' END, '',
           now() - ((g * 389 + pu.id) %% 120) * interval '1 day', '', %(tenant)s
    FROM partners_partneruser pu JOIN accounts_membership m ON m.id = pu.membership_id
    CROSS JOIN generate_series(1, 2) g
    WHERE pu.tenant_id = %(tenant)s AND g <= pu.id %% 3
    """,
]
FLOOR_SQL = """
WITH signins AS (
    SELECT pu.partner_id, count(*) AS n
    FROM accounts_signin s JOIN partners_partneruser pu ON pu.membership_id = s.membership_id
    WHERE s.tenant_id = %(tenant)s AND s.signed_in_at >= %(start)s AND s.signed_in_at < %(end)s
    GROUP BY pu.partner_id
), events AS (
    SELECT e.partner_id, count(*) AS n FROM content_assetevent e
    WHERE e.tenant_id = %(tenant)s AND e.occurred_at >= %(start)s AND e.occurred_at < %(end)s
    GROUP BY e.partner_id
), completions AS (
    SELECT first.partner_id, count(*) AS n FROM (
        SELECT DISTINCT ON (a.user_id, a.course_id) a.partner_id, a.submitted_at
        FROM content_attempt a WHERE a.tenant_id = %(tenant)s AND a.passed
        ORDER BY a.user_id, a.course_id, a.submitted_at, a.id
    ) first
    WHERE first.submitted_at >= %(start)s AND first.submitted_at < %(end)s
    GROUP BY first.partner_id
), redemptions AS (
    SELECT r.partner_id, count(*) AS n FROM incentives_redemption r
    WHERE r.tenant_id = %(tenant)s AND r.status <> 'refused'
      AND r.requested_at >= %(start)s AND r.requested_at < %(end)s
    GROUP BY r.partner_id
)
SELECT p.id, coalesce(s.n, 0), coalesce(e.n, 0), coalesce(c.n, 0), coalesce(r.n, 0)
FROM partners_partner p
LEFT JOIN signins s ON s.partner_id = p.id
LEFT JOIN events e ON e.partner_id = p.id
LEFT JOIN completions c ON c.partner_id = p.id
LEFT JOIN redemptions r ON r.partner_id = p.id
WHERE p.tenant_id = %(tenant)s
"""


def make_activity(tenant) -> None:
    from django.db import connections

    from content.models import Asset, Course, Library
    from incentives.models import Reward

    if Course.objects.filter(title=COURSE).exists():
        return
    library, _created = Library.objects.get_or_create(name=COURSE)
    asset = Asset.objects.create(library=library, kind="article", title=COURSE, body="<p>bench</p>", is_published=True)
    course = Course.objects.create(title=COURSE, is_published=True)
    reward = Reward.objects.create(name=COURSE, kind="merchandise", points_cost=100)
    params = {"tenant": tenant.pk, "asset": asset.pk, "course": course.pk, "reward": reward.pk}
    with connections["owner"].cursor() as cursor:
        for sql in ACTIVITY_SQL:
            cursor.execute(sql, params)
        for table in ("accounts_signin", "content_assetevent", "content_attempt", "incentives_redemption"):
            cursor.execute(f"ANALYZE {table}")


def main() -> int:
    parser = benchlib.measurement_parser("Engagement score of every partner against one SQL statement.")
    args = benchlib.parse_measurement_args(parser)

    benchlib.setup()
    from django.db import connection

    from content.engagement import engagement_90d
    from content.selectors.engagement import engagement_counts, engagement_window
    from partners.models import Partner
    from prm.tenancy.context import tenant_context

    tenant = benchlib.measured_tenant(args.tenant)
    print(f"database: {benchlib.database_label()}")
    print(f"tenant: {tenant.slug} (id {tenant.pk}); {args.repeat} repetitions after {args.warmup} warm-up")
    with tenant_context(tenant):
        make_activity(tenant)
        with connection.cursor() as cursor:
            for table in ("accounts_signin", "content_assetevent", "content_attempt", "incentives_redemption"):
                cursor.execute(f"SELECT count(*) FROM {table}")
                print(f"{table}: {cursor.fetchone()[0]:,} rows")
        partners = Partner.objects.all()
        start, end = engagement_window()

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, {"tenant": tenant.pk, "start": start, "end": end})
                return cursor.fetchall()

        counts = engagement_counts(partners)
        expected = sorted(
            (pk, c["signins"], c["content_events"], c["course_completions"], c["redemptions"])
            for pk, c in counts.items()
        )
        if sorted(floor()) != expected:
            raise SetupError("the metric's counts and the floor disagree")
        print(f"{len(expected):,} partners; {sum(1 for row in expected if any(row[1:])):,} with activity")
        stats = benchlib.measure(
            {
                "engagement_90d (all partners)": lambda: engagement_90d(partners),
                "floor (one SQL, four GROUP BYs)": floor,
            },
            repeat=args.repeat,
            warmup=args.warmup,
        )
    floor_median = stats["floor (one SQL, four GROUP BYs)"].median
    print_table(
        ("variant", "p50 ms", "p95 ms", "× floor p50"),
        [(name, ms(s.median), ms(s.p95), ratio(s.median, floor_median)) for name, s in stats.items()],
        title="Engagement score",
    )
    return 0


if __name__ == "__main__":
    benchlib.run(main)
