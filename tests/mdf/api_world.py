"""The people of the MDF API tests: partner A (`mdf_world`: admin, plus a rep) and partner B (its own tier and
allocation in the same fund), a channel manager, a tenant admin and vendor staff, each with an `Api` client."""

from decimal import Decimal

from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.factories import MembershipFactory, PartnerFactory, TierFactory, partner_member

from .factories import AllocationFactory, mdf_world


def mdf_api_world(tenant) -> dict:
    with tenant_context(tenant):
        world = mdf_world(tenant)
        tier_b = TierFactory(program=world.tier.program, mdf_reimbursement_cap_pct=Decimal("100"))
        partner_b = PartnerFactory(tenant=tenant, program=world.tier.program, tier=tier_b, name="Bee Systems")
        people = {
            "a_admin": world.admin,
            "a_rep": partner_member(world.partner, role=Role.PARTNER_REP),
            "b_admin": partner_member(partner_b),
            "manager": MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER),
            "tenant_admin": MembershipFactory(tenant=tenant, role=Role.TENANT_ADMIN),
            "staff": MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF),
        }
        allocation_b = AllocationFactory(tenant=tenant, fund=world.fund, partner=partner_b, amount=Decimal("2000.00"))
    return {"world": world, "partner_b": partner_b, "allocation_b": allocation_b, **people}


def clients(tenant, people: dict) -> dict:
    return {
        who: Api(tenant, people[who]) for who in ("a_admin", "a_rep", "b_admin", "manager", "tenant_admin", "staff")
    }
