"""A tenant with two partners (gold and silver tiers), their people, points and a small rewards catalog."""

from datetime import timedelta

from partners.services.tiers import tenant_today
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member

from .factories import RewardFactory, points_line


def earn(points, *, user=None, partner=None, for_partner=None, days_ago=10, key=None):
    """Points earned `days_ago` days before the tenant's today (in the tenant in context)."""
    return points_line(
        user=user,
        partner=partner,
        for_partner=for_partner,
        amount=points,
        occurred_on=tenant_today() - timedelta(days=days_ago),
        key=key,
    )


def points_world(tenant) -> dict:
    """Gold partner "Mine" (admin, two reps) and silver partner "Other" (admin, rep); managers; rewards."""
    with tenant_context(tenant):
        program = ProgramFactory(tenant=tenant)
        silver = TierFactory(program=program, rank=0, name="Silver")
        gold = TierFactory(program=program, rank=1, name="Gold")
        mine = PartnerFactory(program=program, tier=gold, name="Mine Solutions")
        other = PartnerFactory(program=program, tier=silver, name="Other Systems")
        people = {
            "mine_admin": partner_member(mine, role=Role.PARTNER_ADMIN),
            "mine_rep": partner_member(mine, role=Role.PARTNER_REP),
            "mine_rep2": partner_member(mine, role=Role.PARTNER_REP),
            "other_admin": partner_member(other, role=Role.PARTNER_ADMIN),
            "other_rep": partner_member(other, role=Role.PARTNER_REP),
            "manager": MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER),
            "staff": MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF),
        }
        rewards = {
            "card": RewardFactory(tenant=tenant, name="Gift card", points_cost=300, position=1),
            "hoodie": RewardFactory(tenant=tenant, name="Hoodie", kind="swag", points_cost=200, stock=2, position=2),
            "summit": RewardFactory(
                tenant=tenant, name="Summit", kind="event_ticket", points_cost=500, eligible_tier_ids=[gold.pk]
            ),
            "retired": RewardFactory(tenant=tenant, name="Old mug", kind="swag", points_cost=50, is_active=False),
        }
        earn(1000, user=people["mine_rep"].user, for_partner=mine, days_ago=100)
        earn(400, user=people["mine_rep2"].user, for_partner=mine, days_ago=5)
        earn(600, user=people["other_rep"].user, for_partner=other)
        earn(2000, partner=mine)
    return {"program": program, "gold": gold, "silver": silver, "mine": mine, "other": other, **people, **rewards}
