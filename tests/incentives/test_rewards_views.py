"""The portal pages: "Rewards" for partner people (balance, catalog, redeem, their redemptions) and
"Redemptions" for vendor staff (the queue; managers fulfil or refuse), with fixed query counts."""

import pytest

from incentives.models import LedgerEntry, Redemption
from incentives.services import redemption_request
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .points_world import points_world


@pytest.fixture
def world(tenant_a):
    return points_world(tenant_a)


def _page(tenant, membership, path="/rewards/"):
    response = portal_client(tenant, membership.user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_rep_sees_its_balance_the_tier_catalog_and_redeems(tenant_a, world):
    page = _page(tenant_a, world["mine_rep"])
    assert '<dd id="available">1000</dd>' in page
    assert "Gift card" in page and "Summit" in page and "Old mug" not in page
    assert "company-balance" not in page
    assert "Summit" not in _page(tenant_a, world["other_rep"])

    client = portal_client(tenant_a, world["mine_rep"].user)
    response = client.post(f"/rewards/{world['hoodie'].pk}/redeem", {"note": "Size S"}, follow=True)
    assert response.status_code == 200
    assert "Hoodie requested" in response.content.decode()
    with tenant_context(tenant_a):
        redemption = Redemption.objects.get()
        assert (redemption.user_id, redemption.note) == (world["mine_rep"].user.pk, "Size S")
    page = _page(tenant_a, world["mine_rep"])
    assert '<dd id="available">800</dd>' in page and f'id="redemption-{redemption.pk}"' in page

    poor = portal_client(tenant_a, world["mine_rep2"].user)
    response = poor.post(f"/rewards/{world['summit'].pk}/redeem", follow=True)
    assert "500 points; 400 are available" in response.content.decode()
    # Another tier's reward or an inactive one: not in the catalog → 404.
    assert (
        portal_client(tenant_a, world["other_rep"].user).post(f"/rewards/{world['summit'].pk}/redeem").status_code
        == 404
    )
    assert client.post(f"/rewards/{world['retired'].pk}/redeem").status_code == 404


def test_a_partner_admin_sees_company_points_and_redeems_them(tenant_a, world):
    page = _page(tenant_a, world["mine_admin"])
    assert '<dd id="company-available">2000</dd>' in page
    client = portal_client(tenant_a, world["mine_admin"].user)
    client.post(f"/rewards/{world['summit'].pk}/redeem", {"account": "company"})
    with tenant_context(tenant_a):
        line = LedgerEntry.objects.get(entry_type="redemption")
        assert (line.recipient_partner_id, line.amount) == (world["mine"].pk, -500)


def test_vendor_pages_and_roles(tenant_a, world):
    assert portal_client(tenant_a, world["mine_rep"].user).get("/redemptions/").status_code == 403
    assert portal_client(tenant_a, world["staff"].user).get("/rewards/").status_code == 403
    with tenant_context(tenant_a):
        redemption = redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world["card"])
    staff_page = _page(tenant_a, world["staff"], "/redemptions/")
    fulfil_url = f"/redemptions/{redemption.pk}/fulfil"
    assert f'id="redemption-{redemption.pk}"' in staff_page and fulfil_url not in staff_page
    assert portal_client(tenant_a, world["staff"].user).post(f"/redemptions/{redemption.pk}/fulfil").status_code == 403
    manager = portal_client(tenant_a, world["manager"].user)
    assert fulfil_url in _page(tenant_a, world["manager"], "/redemptions/")
    response = manager.post(f"/redemptions/{redemption.pk}/refuse", {"reason": ""}, follow=True)
    assert "Say why the request is refused." in response.content.decode()
    manager.post(f"/redemptions/{redemption.pk}/refuse", {"reason": "No stock"})
    with tenant_context(tenant_a):
        assert Redemption.objects.get().status == "refused"
    assert f'id="redemption-{redemption.pk}"' not in _page(tenant_a, world["manager"], "/redemptions/")
    assert f'id="redemption-{redemption.pk}"' in _page(tenant_a, world["manager"], "/redemptions/?status=refused")
    response = manager.post(f"/redemptions/{redemption.pk}/fulfil", follow=True)
    assert "already refused" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_pages_have_fixed_query_counts(tenant_a, world, count, django_assert_num_queries):
    with tenant_context(tenant_a):
        for _ in range(count):
            redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world["card"])
    rep = portal_client(tenant_a, world["mine_rep"].user)
    staff = portal_client(tenant_a, world["staff"].user)
    rep.get("/rewards/"), staff.get("/redemptions/")
    with django_assert_num_queries(11):
        rep.get("/rewards/")
    with django_assert_num_queries(8):
        staff.get("/redemptions/")
