"""What training gives other apps, through their registries (registered from `content.ready.training`):

- partners' onboarding step kind `complete_course` (a step's subject is a course id; empty: any course), completed
  by `content.services.attempt_submit` when a partner user passes;
- partners' tier metric `certified_reps`: distinct people of a partner holding a certification earned for it at
  the end of the day evaluated (one query for every partner);
- incentives' activity events `course_completed` (a person's FIRST pass of a course, ever: passing again earns no
  more points) and `certification_earned` (a certification earned while not holding it: a renewal of one still
  held earns no more points, re-earning one that expired does).
"""

from datetime import date
from decimal import Decimal

from .models import Attempt, Certification, Course
from .selectors.training import certified_people_count

COMPLETE_COURSE = "complete_course"
CERTIFIED_REPS = "certified_reps"
COURSE_COMPLETED = "course_completed"
CERTIFICATION_EARNED = "certification_earned"


def published_course_choices() -> list[tuple[str, str]]:
    """The subjects a "complete a course" step may name: the tenant's published courses."""
    return [(str(pk), title) for pk, title in Course.objects.filter(is_published=True).values_list("pk", "title")]


def certified_reps(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    rows = certified_people_count(partners, as_of=as_of).values_list("pk", "metric_value")
    return {pk: Decimal(value) for pk, value in rows}


def course_completed_events(*, tenant_id, first_day, last_day, cutoff, partner_ids) -> tuple[str, list]:
    """Each person's first passed attempt of each course (submitted by the cutoff), when it falls in the period;
    the reference is the attempt's id. Attempts of the vendor's staff (no partner) earn nothing."""
    sql = f"""
        SELECT first_pass.partner_id, first_pass.user_id, first_pass.occurred_on, first_pass.reference
        FROM (
            SELECT DISTINCT ON (a.user_id, a.course_id)
                   a.partner_id, a.user_id, (a.submitted_at AT TIME ZONE 'UTC')::date AS occurred_on,
                   a.id::text AS reference
            FROM {Attempt._meta.db_table} a
            WHERE a.tenant_id = %s AND a.passed AND a.partner_id IS NOT NULL AND a.submitted_at <= %s
            ORDER BY a.user_id, a.course_id, a.submitted_at, a.id
        ) first_pass
        WHERE first_pass.partner_id = ANY(%s) AND first_pass.occurred_on BETWEEN %s AND %s
    """
    return sql, [tenant_id, cutoff, partner_ids, first_day, last_day]


def certification_earned_events(*, tenant_id, first_day, last_day, cutoff, partner_ids) -> tuple[str, list]:
    """Certifications earned in the period (by the cutoff), except renewals of one still held (the renewed one
    ended the moment the new one was earned); the reference is the certification's id."""
    table = Certification._meta.db_table
    sql = f"""
        SELECT c.partner_id, c.user_id, (c.earned_at AT TIME ZONE 'UTC')::date AS occurred_on, c.id::text AS reference
        FROM {table} c
        WHERE c.tenant_id = %s AND c.partner_id = ANY(%s) AND c.earned_at <= %s
          AND (c.earned_at AT TIME ZONE 'UTC')::date BETWEEN %s AND %s
          AND NOT EXISTS (
              SELECT 1 FROM {table} renewed
              WHERE renewed.tenant_id = c.tenant_id AND renewed.course_id = c.course_id
                AND renewed.user_id = c.user_id AND renewed.status = 'renewed' AND renewed.ended_at = c.earned_at
          )
    """
    return sql, [tenant_id, partner_ids, cutoff, first_day, last_day]
