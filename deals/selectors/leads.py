"""Reads for vendor-passed leads: lists, the partner's inbox, matching candidates, response times."""

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.models import Partner
from prm.accounts.models import Membership, User
from prm.accounts.roles import Role

from ..lead_matching import LeadFacts, MatchScore, PartnerFacts, rank_partners
from ..models import Deal, Lead, LeadAssignment

# Leads a partner is working on: they count against its load in matching.
OPEN_LEAD_STATUSES = (Lead.Status.ASSIGNED, Lead.Status.ACCEPTED)
# Who may receive a lead by hand; matching proposes active partners only.
ASSIGNABLE_PARTNER_STATUSES = ("onboarding", "active")


def lead_list() -> QuerySet:
    """Every lead of the tenant, newest first, with its partner (one query)."""
    return Lead.objects.select_related("partner").order_by("-created_at", "-id")


def leads_of_partner(partner_id: int) -> QuerySet:
    """The leads currently with `partner_id` (assigned, accepted or converted), newest assignment first."""
    return Lead.objects.filter(partner_id=partner_id).select_related("partner").order_by("-assigned_at", "-id")


def lead_overdue_q(now: datetime | None = None) -> Q:
    """Assigned leads whose partner has not answered within the SLA."""
    return Q(status=Lead.Status.ASSIGNED, accept_due_at__lt=now or timezone.now())


def lead_assignments(lead: Lead) -> QuerySet:
    """Every time the lead was offered, oldest first, with who chose the partner."""
    return (
        LeadAssignment.objects.filter(lead=lead).select_related("partner", "assigned_by").order_by("assigned_at", "id")
    )


def lead_deal(lead: Lead) -> Deal | None:
    """The registration a converted lead became."""
    return Deal.objects.filter(lead=lead).order_by("created_at", "id").first()


def assignable_partners() -> QuerySet:
    return Partner.objects.filter(status__in=ASSIGNABLE_PARTNER_STATUSES).order_by("name", "id")


def _open_lead_counts() -> Subquery:
    counts = (
        Lead.objects.filter(partner_id=OuterRef("pk"), status__in=OPEN_LEAD_STATUSES)
        .order_by()
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class LeadMatch:
    partner: Partner
    score: MatchScore


def lead_match_candidates(*, lead: Lead, exclude_partner_ids=()) -> list[LeadMatch]:
    """Active partners that fit `lead`, best first, each with its per-factor points (one query).

    Only partners sharing the lead's country, region, vertical or capability are read (the rules in
    deals.lead_matching then score them); `exclude_partner_ids` leaves out e.g. partners that already had it.
    """
    fit = Q(pk__in=[])
    if lead.country:
        fit |= Q(country=lead.country)
    for value, column in ((lead.region, "regions"), (lead.vertical, "verticals"), (lead.capability, "capabilities")):
        if value:
            fit |= Q(**{f"{column}__contains": [value]})
    partners = list(
        Partner.objects.filter(fit, status="active")
        .exclude(pk__in=list(exclude_partner_ids))
        .select_related("tier")
        .annotate(open_leads=_open_lead_counts())
    )
    facts = [
        PartnerFacts(
            partner_id=partner.pk,
            name=partner.name,
            country=partner.country,
            regions=tuple(partner.regions),
            verticals=tuple(partner.verticals),
            capabilities=tuple(partner.capabilities),
            tier_rank=partner.tier.rank if partner.tier is not None else None,
            open_leads=partner.open_leads,
        )
        for partner in partners
    ]
    by_id = {partner.pk: partner for partner in partners}
    lead_facts = LeadFacts(country=lead.country, region=lead.region, vertical=lead.vertical, capability=lead.capability)
    return [LeadMatch(by_id[score.partner_id], score) for score in rank_partners(lead_facts, facts)]


def partners_that_had(lead: Lead) -> set[int]:
    return set(LeadAssignment.objects.filter(lead=lead).values_list("partner_id", flat=True))


def _members(**filters) -> QuerySet:
    """Active users with an active membership of the tenant in context matching `filters`."""
    memberships = Membership.objects.filter(is_active=True, **filters).values("user_id")
    return User.objects.filter(is_active=True, pk__in=memberships).order_by("email")


def partner_admin_users(partner_id: int) -> list[User]:
    """The partner's active partner admins: who hears about a new lead."""
    return list(_members(role=Role.PARTNER_ADMIN, partner_links__partner_id=partner_id))


def lead_manager_users(lead: Lead) -> list[User]:
    """Who hears that a lead needs a manager: its creator while still an active manager, else every
    active tenant admin and channel manager."""
    managers = _members(role__in=(Role.TENANT_ADMIN, Role.CHANNEL_MANAGER))
    if lead.created_by_id is not None:
        creator = list(managers.filter(pk=lead.created_by_id))
        if creator:
            return creator
    return list(managers)


def lead_is_with_partner_member(*, lead: Lead, user) -> bool:
    """True when `user` is an active partner admin or rep of the lead's current partner."""
    if lead.partner_id is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user,
        is_active=True,
        role__in=(Role.PARTNER_ADMIN, Role.PARTNER_REP),
        partner_links__partner_id=lead.partner_id,
    ).exists()


def _median_hours(rows) -> dict[int, float]:
    hours: dict[int, list[float]] = {}
    for partner_id, start, end in rows:
        hours.setdefault(partner_id, []).append((end - start).total_seconds() / 3600)
    return {partner_id: median(values) for partner_id, values in hours.items()}


def lead_time_to_accept_hours(*, partner_ids=None, since: datetime | None = None) -> dict[int, float]:
    """{partner id: median hours from assignment to acceptance} over the accepted assignments (one query).

    The basis of the "median lead time-to-accept" metric; `since` limits it to assignments from then on.
    """
    accepted = LeadAssignment.objects.filter(outcome=LeadAssignment.Outcome.ACCEPTED, decided_at__isnull=False)
    if partner_ids is not None:
        accepted = accepted.filter(partner_id__in=list(partner_ids))
    if since is not None:
        accepted = accepted.filter(assigned_at__gte=since)
    return _median_hours(accepted.values_list("partner_id", "assigned_at", "decided_at"))


def lead_time_to_first_action_hours(*, partner_ids=None, since: datetime | None = None) -> dict[int, float]:
    """{partner id: median hours from acceptance to the first action} over the leads with both (one query)."""
    acted = Lead.objects.filter(accepted_at__isnull=False, first_action_at__isnull=False, partner__isnull=False)
    if partner_ids is not None:
        acted = acted.filter(partner_id__in=list(partner_ids))
    if since is not None:
        acted = acted.filter(accepted_at__gte=since)
    return _median_hours(acted.values_list("partner_id", "accepted_at", "first_action_at"))
