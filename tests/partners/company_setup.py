"""Shared set-up of the company-area tests: one vendor with two partner companies and its people."""

import io

from PIL import Image

from prm.accounts.roles import Role
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member


def company_world(tenant) -> dict:
    program = ProgramFactory(tenant=tenant, name="Resell", slug="resell")
    tier = TierFactory(program=program, rank=0, name="Registered")
    partner = PartnerFactory(program=program, tier=tier, name="Nimbus IT", website="https://nimbus.example")
    other = PartnerFactory(program=program, tier=tier, name="Other Co")
    return {
        "program": program,
        "tier": tier,
        "partner": partner,
        "other": other,
        "admin": partner_member(partner, email=f"admin@{tenant.slug}-nimbus.example"),
        "rep": partner_member(partner, role=Role.PARTNER_REP),
        "other_admin": partner_member(other),
        "manager": MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER),
        "staff": MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF),
        "tenant_admin": MembershipFactory(tenant=tenant, role=Role.TENANT_ADMIN),
    }


def png_bytes(size=(64, 32), colour="#ff0000") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def bearer(membership) -> dict:
    from tests.factories import issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}
