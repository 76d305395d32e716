"""Portal pages: the partner's Incentives page (accrual, balances, statements; a rep sees only their own),
statement pages (404 across partners), and the vendor's Payouts page driving the services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives.models import Payout
from incentives.selectors import statement_key
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import PartnerFactory
from tests.incentives.factories import LedgerEntryFactory
from tests.incentives.ledger_world import ledger_world


@pytest.fixture
def world(tenant_a):
    return ledger_world(tenant_a)


def page(world, member, url="/incentives/"):
    response = portal_client(world.tenant, member.user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_partner_admin_sees_the_companys_accrual_and_statements(world):
    html = page(world, world.admin)
    for key in (
        statement_key(world.partner.pk, None, "2026-Q1"),
        statement_key(None, world.rep.user.pk, "2026-Q1"),
        statement_key(None, world.rep2.user.pk, "2026-Q1"),
    ):
        assert f'id="statement-{key}"' in html
    assert statement_key(None, world.manager.user.pk, "2026-Q1") not in html
    assert "Rival Systems" not in html and "999.00" not in html
    assert f'id="accrual-{world.rebate.pk}"' in html and "The next 1,000 of revenue adds" in html
    assert f'id="spif-{world.spif.pk}-{world.rep.user.pk}"' in html and "1000 (15 %)" in html
    assert f'id="spif-{world.spif.pk}-{world.rep2.user.pk}"' in html
    assert 'href="/incentives/"' in html  # the nav item


@pytest.mark.django_db
def test_a_rep_sees_only_their_own(world):
    html = page(world, world.rep)
    assert f'id="statement-{statement_key(None, world.rep.user.pk, "2026-Q1")}"' in html
    assert statement_key(world.partner.pk, None, "2026-Q1") not in html
    assert statement_key(None, world.rep2.user.pk, "2026-Q1") not in html
    assert f'id="spif-{world.spif.pk}-{world.rep.user.pk}"' in html
    assert f'id="spif-{world.spif.pk}-{world.rep2.user.pk}"' not in html
    assert "Next band" not in html and "2400.00" not in html
    own = statement_key(None, world.rep.user.pk, "2026-Q1")
    html = page(world, world.rep, f"/incentives/statements/{own}/")
    assert f"/our-sales/?external_id={world.sale.external_id}" in html and "150.00" in html
    client = portal_client(world.tenant, world.rep.user)
    for key in (statement_key(world.partner.pk, None, "2026-Q1"), statement_key(None, world.rep2.user.pk, "2026-Q1")):
        assert client.get(f"/incentives/statements/{key}/").status_code == 404


@pytest.mark.django_db
def test_statement_pages_across_partners_and_for_vendor_staff(world):
    key = statement_key(world.partner.pk, None, "2026-Q1")
    html = page(world, world.admin, f"/incentives/statements/{key}/")
    assert "revenue 120000.00 from 1 sales" in html and "band rate 2%" in html
    assert "/our-sales/?booked_after=2026-01-01&amp;booked_before=2026-03-31" in html
    assert portal_client(world.tenant, world.other_admin.user).get(f"/incentives/statements/{key}/").status_code == 404
    assert portal_client(world.tenant, world.admin.user).get("/incentives/statements/p1_bad!/").status_code == 404
    vendor = page(world, world.staff, f"/incentives/statements/{key}/")
    assert f"/sales/?partner={world.partner.pk}&amp;booked_after=2026-01-01" in vendor
    assert portal_client(world.tenant, world.staff.user).get("/incentives/").status_code == 403


@pytest.mark.django_db
def test_vendor_statements_list_with_filters(world):
    html = page(world, world.staff, "/incentives/statements/")
    for key in (
        statement_key(world.partner.pk, None, "2026-Q1"),
        statement_key(world.other.pk, None, "2026-Q1"),
        statement_key(None, world.manager.user.pk, "2026-Q1"),
    ):
        assert f'id="statement-{key}"' in html
    html = page(world, world.staff, "/incentives/statements/?q=rival")
    assert "Rival Systems" in html and "Initech BV" not in html
    assert "Rival Systems" not in page(world, world.staff, "/incentives/statements/?period=2026-Q2")
    assert portal_client(world.tenant, world.admin.user).get("/incentives/statements/").status_code == 403


@pytest.mark.django_db
def test_vendor_payouts_page_prepares_approves_pays_and_cancels(world):
    html = page(world, world.staff, "/incentives/payouts/")
    assert "Initech BV" in html and "2400.00" in html and "Prepare payouts" not in html
    staff = portal_client(world.tenant, world.staff.user)
    assert staff.post("/incentives/payouts/prepare", {"currency": "USD"}).status_code == 403
    assert portal_client(world.tenant, world.admin.user).get("/incentives/payouts/").status_code == 403

    manager = portal_client(world.tenant, world.manager.user)
    assert manager.post("/incentives/payouts/prepare", {"currency": "US"}).status_code == 400
    assert manager.post("/incentives/payouts/prepare", {"currency": "USD"}).status_code == 302
    with tenant_context(world.tenant):
        company = Payout.objects.get(recipient_partner=world.partner)
        rep = Payout.objects.get(recipient_user=world.rep.user)
        assert Payout.objects.count() == 5
    assert manager.post(f"/incentives/payouts/{company.pk}/explode").status_code == 404
    assert manager.post(f"/incentives/payouts/{company.pk}/approve").status_code == 302
    manager.post(f"/incentives/payouts/{company.pk}/mark-paid", {"external_reference": ""})
    manager.post(f"/incentives/payouts/{rep.pk}/mark-paid", {"external_reference": "EARLY"})  # refused: proposed
    manager.post(f"/incentives/payouts/{company.pk}/mark-paid", {"external_reference": "SEPA-9"})
    manager.post(f"/incentives/payouts/{rep.pk}/cancel")
    with tenant_context(world.tenant):
        company.refresh_from_db()
        rep.refresh_from_db()
    assert (company.status, company.external_reference, rep.status) == ("paid", "SEPA-9", "cancelled")
    html = manager.get("/incentives/payouts/?status=paid").content.decode()
    assert "SEPA-9" in html and f'id="payout-{rep.pk}"' not in html
    export = manager.get("/incentives/payouts/export?status=paid")
    assert export["Content-Type"].startswith("text/csv") and "SEPA-9" in export.content.decode()
    assert 'href="/incentives/payouts/"' in html  # the nav item


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_page_query_counts_do_not_grow_with_the_rows(world):
    manager = portal_client(world.tenant, world.manager.user)
    admin = portal_client(world.tenant, world.admin.user)
    manager.post("/incentives/payouts/prepare", {"currency": "USD"})
    manager.get("/incentives/payouts/")
    admin.get("/incentives/")
    before = (_queries(manager, "/incentives/payouts/"), _queries(admin, "/incentives/"))
    with tenant_context(world.tenant):
        for i in range(5):
            LedgerEntryFactory(
                program=world.rebate, partner=world.partner, period=f"2025-Q{i % 4 + 1}", amount=Decimal(i + 1)
            )
            LedgerEntryFactory(
                program=world.rebate, partner=PartnerFactory(program=world.partner.program), amount=Decimal(3)
            )
    manager.post("/incentives/payouts/prepare", {"currency": "USD"})
    assert (_queries(manager, "/incentives/payouts/"), _queries(admin, "/incentives/")) == before
