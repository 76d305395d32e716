"""A tenant with two partners, their people, a vendor manager and lines of a rebate and a SPIF program."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from incentives.services import incentive_program_create
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, PartnerFactory, ProductFactory, SaleRecordFactory, partner_member
from tests.incentives.factories import LedgerEntryFactory

BANDS = [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}, {"from": "250000", "rate": "4"}]


@dataclass
class LedgerWorld:
    tenant: object
    partner: object
    other: object
    admin: object  # memberships
    rep: object
    rep2: object
    other_admin: object
    manager: object
    staff: object
    rebate: object
    spif: object
    sale: object
    company_line: object
    rep_line: object
    rep2_line: object
    cam_line: object
    other_line: object


def rebate_program(**params):
    return incentive_program_create(
        actor=None,
        params={"bands": BANDS, "mode": "retroactive", **params},
        name="Volume rebate",
        kind="rebate",
        currency="USD",
        period_scheme="quarter",
        starts_on=date(2026, 1, 1),
        status="active",
    )


def spif_program(product, **params):
    return incentive_program_create(
        actor=None,
        params={"basis": "per_unit", "amount": "50", "products": [product.pk], **params},
        name="Widget SPIF",
        kind="spif",
        award_to="rep",
        currency="USD",
        period_scheme="quarter",
        starts_on=date(2026, 1, 1),
        status="active",
    )


def ledger_world(tenant) -> LedgerWorld:
    with tenant_context(tenant):
        partner = PartnerFactory(program__tenant=tenant, name="Initech BV")
        other = PartnerFactory(program=partner.program, name="Rival Systems")
        admin, other_admin = partner_member(partner), partner_member(other)
        rep = partner_member(partner, role=Role.PARTNER_REP)
        rep2 = partner_member(partner, role=Role.PARTNER_REP)
        manager = MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER)
        staff = MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF)
        product = ProductFactory(tenant=tenant)
        rebate, spif = rebate_program(), spif_program(product, cap_per_rep="1000")
        sale = SaleRecordFactory(partner=partner, rep=rep.user, amount=Decimal("5000.00"), booked_on=date(2026, 2, 3))

        def line(program, recipient_partner=None, recipient_user=None, owner=partner, **kwargs):
            return LedgerEntryFactory(
                program=program,
                partner=owner,
                recipient_partner=recipient_partner,
                recipient_user=recipient_user,
                **kwargs,
            )

        company_line = line(
            rebate,
            recipient_partner=partner,
            amount=Decimal("2400.00"),
            explanation={"revenue": "120000.00", "sales": 1, "rate": "2", "mode": "retroactive", "multiplier": "1"},
        )
        rep_line = line(spif, recipient_user=rep.user, amount=Decimal("150.00"), source=f"sale:{sale.pk}")
        rep2_line = line(spif, recipient_user=rep2.user, amount=Decimal("50.00"), source="sale:999999")
        cam_line = line(spif, recipient_user=manager.user, amount=Decimal("15.00"), source=f"cam:sale:{sale.pk}")
        other_line = line(rebate, recipient_partner=other, owner=other, amount=Decimal("999.00"))
    return LedgerWorld(
        tenant=tenant,
        partner=partner,
        other=other,
        admin=admin,
        rep=rep,
        rep2=rep2,
        other_admin=other_admin,
        manager=manager,
        staff=staff,
        rebate=rebate,
        spif=spif,
        sale=sale,
        company_line=company_line,
        rep_line=rep_line,
        rep2_line=rep2_line,
        cam_line=cam_line,
        other_line=other_line,
    )
