"""Shared set-up of the protection tests: one vendor, two partners, every role, an approved deal."""

from datetime import timedelta

from django.utils import timezone

from deals.models import DealRules
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import DealFactory, MembershipFactory, PartnerFactory, ProgramFactory, issue_token, partner_member


def build_world(tenant, *, max_extensions=2, extension_days=30) -> dict:
    program = ProgramFactory(tenant=tenant)
    with tenant_context(tenant):
        DealRules.objects.create(program=program, max_extensions=max_extensions, extension_days=extension_days)
    partner = PartnerFactory(program=program, name="Reseller One BV")
    other = PartnerFactory(program=program, name="Reseller Two BV")
    world = {
        "program": program,
        "partner": partner,
        "other_partner": other,
        "rep": partner_member(partner, role=Role.PARTNER_REP, email=f"rep@{tenant.slug}.example"),
        "rep2": partner_member(partner, role=Role.PARTNER_REP, email=f"rep2@{tenant.slug}.example"),
        "admin": partner_member(partner, role=Role.PARTNER_ADMIN, email=f"admin@{tenant.slug}.example"),
        "other_admin": partner_member(other, role=Role.PARTNER_ADMIN, email=f"other@{tenant.slug}.example"),
        "manager": MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER, user__email=f"cm@{tenant.slug}.example"),
        "staff": MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF, user__email=f"staff@{tenant.slug}.example"),
    }
    world["deal"] = approved_deal(world, days=20)
    return world


def approved_deal(world, *, days: int, **kwargs):
    return DealFactory(
        partner=world["partner"],
        registered_by=world["rep"].user,
        status="approved",
        protected_until=timezone.localdate() + timedelta(days=days),
        **kwargs,
    )


def bearer(membership) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}


def api(tenant, membership):
    """(client, auth headers) for `membership` on `tenant`'s host."""
    return portal_client(tenant), bearer(membership)
