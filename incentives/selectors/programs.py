"""Reads of programs, their rule versions and who is eligible."""

from django.db.models import QuerySet

from partners.models import Partner, PartnerStatus

from ..models import Enrollment, IncentiveProgram, LedgerEntry, RuleVersion
from ..periods import Period, period_containing, periods_overlapping

# Partners who earn: the ones working with the vendor (not applicants, suspended or offboarded ones).
EARNING_STATUSES = (PartnerStatus.ONBOARDING, PartnerStatus.ACTIVE)


def program_list() -> QuerySet[IncentiveProgram]:
    return IncentiveProgram.objects.order_by("-starts_on", "name", "pk")


def eligible_partners(program: IncentiveProgram) -> QuerySet[Partner]:
    """The partners a program pays today: status, then its program/tier/type/region filters and opt-in."""
    partners = Partner.objects.filter(status__in=EARNING_STATUSES)
    if program.eligible_program_ids:
        partners = partners.filter(program_id__in=program.eligible_program_ids)
    if program.eligible_tier_ids:
        partners = partners.filter(tier_id__in=program.eligible_tier_ids)
    if program.eligible_types:
        partners = partners.filter(types__overlap=program.eligible_types)
    if program.eligible_regions:
        partners = partners.filter(regions__overlap=program.eligible_regions)
    if program.requires_opt_in:
        partners = partners.filter(pk__in=Enrollment.objects.filter(program=program).values("partner_id"))
    return partners


def partner_is_eligible(program: IncentiveProgram, partner: Partner) -> bool:
    return eligible_partners(program).filter(pk=partner.pk).exists()


def run_partners(program: IncentiveProgram, period_key: str) -> tuple[set[int], list[int]]:
    """The eligible partners' ids, and every partner a run covers: the eligible ones and any that already have
    lines in the period (a partner that lost eligibility gets its provisional lines reversed)."""
    eligible = set(eligible_partners(program).values_list("pk", flat=True))
    posted = set(
        LedgerEntry.objects.filter(program=program, period=period_key)
        .exclude(partner=None)
        .values_list("partner_id", flat=True)
        .distinct()
    )
    return eligible, sorted(eligible | posted)


def rule_version_for(program: IncentiveProgram, period: Period) -> RuleVersion | None:
    """The version pricing `period`: the latest effective on or before its first day."""
    return (
        RuleVersion.objects.filter(program=program, effective_from__lte=period.starts_on)
        .order_by("-effective_from")
        .first()
    )


def program_periods(program: IncentiveProgram, *, until) -> list[Period]:
    """The program's periods from its first to the one containing `until` (within its window)."""
    last = until if program.ends_on is None else min(until, program.ends_on)
    if last < program.starts_on:
        return []
    return periods_overlapping(program.starts_on, last, program.period_scheme)


def program_period_for(program: IncentiveProgram, day) -> Period:
    return period_containing(day, program.period_scheme)
