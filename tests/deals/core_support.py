"""A vendor with one program (rules of engagement, a tier), two partners with people, a manager and products."""

import datetime
from types import SimpleNamespace

from deals.models import DealRules
from deals.services import deal_register
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context

from ..factories import MembershipFactory, PartnerFactory, ProductFactory, TierFactory, partner_member


def core_world(tenant, *, policy="manual_review", **rules) -> SimpleNamespace:
    tier = TierFactory(
        program__tenant=tenant, name="Gold", rank=0, product_discount_pct=10, deal_registration_discount_pct="2.5"
    )
    with tenant_context(tenant):
        DealRules.objects.create(
            program=tier.program,
            conflict_policy=policy,
            **{"protection_days": 90, "review_sla_business_days": 2, "registration_discount_pct": 5, **rules},
        )
    manager = MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER)
    partner = PartnerFactory(program=tier.program, tier=tier, channel_manager=manager.user, name="Nimbus IT")
    other = PartnerFactory(program=tier.program, tier=tier, name="Rival Systems")
    return SimpleNamespace(
        tenant=tenant,
        program=tier.program,
        tier=tier,
        manager=manager,
        partner=partner,
        admin=partner_member(partner, Role.PARTNER_ADMIN),
        rep=partner_member(partner, Role.PARTNER_REP),
        other=other,
        other_rep=partner_member(other, Role.PARTNER_REP),
        staff=MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF),
        product=ProductFactory(tenant=tenant, name="Cloud Suite", list_price="1000.00"),
        recurring=ProductFactory(
            tenant=tenant, name="Support plan", list_price="120.00", billing="recurring", billing_period="month"
        ),
    )


def registration(**overrides) -> dict:
    return {
        "customer_name": "Globodyne Corp.",
        "customer_domain": "globodyne.example",
        "country": "NL",
        "contact_name": "Gina Globo",
        "contact_email": "gina@globodyne.example",
        "expected_close_date": datetime.date(2027, 3, 31),
        "estimated_value": "125000.00",
        "currency": "USD",
        **overrides,
    }


def register(world, *, partner=None, actor=None, lines=(), **overrides):
    """A draft of `partner` (default: the world's partner, by its rep); call inside the tenant context."""
    partner = partner or world.partner
    actor = actor or (world.rep if partner == world.partner else world.other_rep).user
    return deal_register(partner=partner, actor=actor, lines=lines, **registration(**overrides))
