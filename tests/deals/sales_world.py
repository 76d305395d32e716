"""A vendor with two partners, their people, vendor staff and a product (tenant A), and a partner with a sale
at another vendor (tenant B): the shared setting of the sales tests."""

from prm.accounts.roles import Role
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    ProductFactory,
    ProgramFactory,
    SaleRecordFactory,
    partner_member,
)


def sales_world(tenant_a, tenant_b) -> dict:
    program = ProgramFactory(tenant=tenant_a)
    mine = PartnerFactory(program=program, name="Mine Solutions", domain="mine.example")
    other = PartnerFactory(program=program, name="Other Systems", domain="other.example")
    people = {
        "mine_admin": partner_member(mine, role=Role.PARTNER_ADMIN),
        "mine_rep": partner_member(mine, role=Role.PARTNER_REP, email="rep@mine.example"),
        "mine_rep2": partner_member(mine, role=Role.PARTNER_REP),
        "other_admin": partner_member(other, role=Role.PARTNER_ADMIN),
        "tenant_admin": MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN),
        "manager": MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER),
        "staff": MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF),
    }
    product = ProductFactory(tenant=tenant_a, sku="CS-100", name="Cloud Suite", list_price=1200)
    foreign = PartnerFactory(program__tenant=tenant_b, domain="foreign.example")
    foreign_sale = SaleRecordFactory(partner=foreign, external_id="B-1")
    return {
        "program": program,
        "mine": mine,
        "other": other,
        "product": product,
        "foreign": foreign,
        "foreign_sale": foreign_sale,
        "b_admin": MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN),
        **people,
    }


def sale_row(**overrides) -> dict:
    """One valid sale as the API or a CSV row sends it (a yearly subscription of Mine Solutions)."""
    return {
        "external_id": "INV-1001",
        "partner": "mine.example",
        "customer_name": "Globodyne Corp",
        "customer_domain": "https://www.globodyne.example/",
        "product": "cs-100",
        "booked_on": "2026-03-15",
        "amount": "12000.00",
        "currency": "USD",
        "kind": "new",
        "term_months": "12",
        "recurring_amount": "1000.00",
        **overrides,
    }
