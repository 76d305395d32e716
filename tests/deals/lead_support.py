"""A vendor with two German partners (people on both) and a channel manager, for the lead tests."""

from dataclasses import dataclass
from datetime import timedelta

from deals.models import Lead
from deals.services import lead_assign
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context

from ..factories import LeadFactory, MembershipFactory, PartnerFactory, TierFactory, partner_member


@dataclass
class LeadWorld:
    tenant: object
    manager: object  # Membership (channel manager)
    partner: object  # the best match for `lead`: DE, healthcare, gold
    admin: object  # partner admin of `partner`
    rep: object  # partner rep of `partner`
    other: object  # a second active German partner
    other_admin: object


def lead_world(tenant) -> LeadWorld:
    gold = TierFactory(program__tenant=tenant, name="Gold", rank=2)
    partner = PartnerFactory(program=gold.program, tier=gold, name="Nimbus IT", country="DE", verticals=["healthcare"])
    other = PartnerFactory(program=gold.program, name="Cumulus BV", country="DE")
    return LeadWorld(
        tenant=tenant,
        manager=MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER),
        partner=partner,
        admin=partner_member(partner),
        rep=partner_member(partner, role=Role.PARTNER_REP),
        other=other,
        other_admin=partner_member(other),
    )


def a_lead(world: LeadWorld, **fields) -> Lead:
    defaults = {"country": "DE", "region": "europe", "vertical": "healthcare", "created_by": world.manager.user}
    return LeadFactory(tenant=world.tenant, **{**defaults, **fields})


def assigned_lead(world: LeadWorld, partner=None, *, hours_ago: float = 0, **fields) -> Lead:
    """A lead offered to `partner` (default: world.partner) through the service, `hours_ago`."""
    lead = a_lead(world, **fields)
    with tenant_context(world.tenant):
        lead_assign(lead=lead, partner=partner or world.partner, actor=world.manager.user)
        if hours_ago:
            shift = timedelta(hours=hours_ago)
            lead.refresh_from_db()
            Lead.objects.filter(pk=lead.pk).update(
                assigned_at=lead.assigned_at - shift, accept_due_at=lead.accept_due_at - shift
            )
            lead.assignments.update(assigned_at=lead.assigned_at - shift)
        lead.refresh_from_db()
    return lead
