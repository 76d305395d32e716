"""The people and rows the MDF page tests share: `pages_world(tenant)` is `mdf_world` plus a rep of the partner,
vendor staff, a channel manager, and a rival partner with its own allocation, approved request and draft claim
(with a proof file) that the first partner must never reach."""

import re
from dataclasses import dataclass

from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, partner_member

from . import proof_files
from .factories import AllocationFactory, MdfClaimFactory, MdfRequestFactory, MdfWorld, mdf_world


@dataclass
class PagesWorld:
    mdf: MdfWorld
    rep: object
    staff: object
    manager: object
    rival: object
    rival_admin: object
    rival_request: object
    rival_claim: object
    rival_attachment: object

    @property
    def tenant(self):
        return self.mdf.tenant


def pages_world(tenant) -> PagesWorld:
    from mdf.services import claim_attachment_add

    with tenant_context(tenant):
        world = mdf_world(tenant)
        rival = PartnerFactory(tenant=tenant, program=world.tier.program, tier=world.tier, name="Rival Systems")
        rival_admin = partner_member(rival)
        allocation = AllocationFactory(tenant=tenant, fund=world.fund, partner=rival)
        rival_request = MdfRequestFactory(
            tenant=tenant, allocation=allocation, activity_type=world.webinar, title="Rival webinar"
        )
        rival_claim = MdfClaimFactory(tenant=tenant, request=rival_request)
        attachment = claim_attachment_add(
            actor=rival_admin.user, claim=rival_claim, kind="invoice", upload=proof_files.pdf("rival.pdf")
        )
        return PagesWorld(
            mdf=world,
            rep=partner_member(world.partner, role=Role.PARTNER_REP),
            staff=MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF),
            manager=MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER),
            rival=rival,
            rival_admin=rival_admin,
            rival_request=rival_request,
            rival_claim=rival_claim,
            rival_attachment=attachment,
        )


def client_of(world: PagesWorld, member):
    return portal_client(world.tenant, member.user)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def ids(html: str, prefix: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'id="{prefix}-(\d+)"', html)}
