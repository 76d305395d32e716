"""Who sees which sales (API and pages), tenant isolation of the sales area, and fixed query counts."""

import re
from datetime import date

import pytest

from tests.api_client import Api
from tests.conftest import host_of, portal_client
from tests.factories import HouseAccountFactory, SaleRecordFactory, issue_token

from .sales_world import sales_world


@pytest.fixture
def w(tenant_a, tenant_b):
    world = sales_world(tenant_a, tenant_b)
    mine, other = world["mine"], world["other"]
    world["sales"] = {
        "rep": SaleRecordFactory(partner=mine, rep=world["mine_rep"].user, external_id="S-REP", amount=100),
        "rep2": SaleRecordFactory(
            partner=mine, rep=world["mine_rep2"].user, external_id="S-REP2", amount=200, kind="renewal"
        ),
        "company": SaleRecordFactory(partner=mine, external_id="S-CO", amount=300, booked_on=date(2025, 6, 1)),
        "other": SaleRecordFactory(partner=other, external_id="S-OTHER", amount=400, currency="EUR"),
    }
    return world


def ids(response) -> set[str]:
    return {row["external_id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff", {"S-REP", "S-REP2", "S-CO", "S-OTHER"}),
        ("manager", {"S-REP", "S-REP2", "S-CO", "S-OTHER"}),
        ("mine_admin", {"S-REP", "S-REP2", "S-CO"}),
        ("mine_rep", {"S-REP"}),
        ("other_admin", {"S-OTHER"}),
    ],
)
def test_each_role_sees_its_own_sales(tenant_a, w, who, expected):
    api = Api(tenant_a, w[who])
    assert ids(api.get("/api/v1/sales/")) == expected
    for key, sale in w["sales"].items():
        assert api.get(f"/api/v1/sales/{sale.pk}/").status_code == (200 if sale.external_id in expected else 404), key


def test_filters_and_ordering(tenant_a, w):
    api = Api(tenant_a, w["staff"])
    assert ids(api.get("/api/v1/sales/", partner=w["other"].pk)) == {"S-OTHER"}
    assert ids(api.get("/api/v1/sales/", kind="renewal")) == {"S-REP2"}
    assert ids(api.get("/api/v1/sales/", external_id="S-CO")) == {"S-CO"}
    assert ids(api.get("/api/v1/sales/", booked_before="2025-12-31")) == {"S-CO"}
    assert "S-CO" not in ids(api.get("/api/v1/sales/", booked_after="2026-01-01"))
    amounts = [row["amount"] for row in api.get("/api/v1/sales/", ordering="-amount").json()["results"]]
    assert amounts == ["400.00", "300.00", "200.00", "100.00"]
    bad = api.get("/api/v1/sales/", booked_after="yesterday", kind="lease")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"booked_after", "kind"}


def test_a_partner_cannot_filter_on_another_partner(tenant_a, w):
    response = Api(tenant_a, w["mine_admin"]).get("/api/v1/sales/", partner=w["other"].pk)
    assert response.status_code == 400 and "partner" in response.json()["error"]["fields"]


def test_sales_list_query_count_is_fixed(tenant_a, w, django_assert_num_queries):
    api = Api(tenant_a, w["staff"])
    api.get("/api/v1/sales/")
    # tenant, enter context, token, membership, count, page (partner, rep and product joined), leave context
    with django_assert_num_queries(7):
        api.get("/api/v1/sales/")
    for index in range(10):
        SaleRecordFactory(partner=w["other"], rep=None, external_id=f"MORE-{index}", product=w["product"])
    with django_assert_num_queries(7):
        assert api.get("/api/v1/sales/").json()["count"] == 14


# --- pages ----------------------------------------------------------------------------------------------------


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="sale-(\d+)"', response.content.decode())}


def test_vendor_sales_page_filters_and_totals_per_currency(tenant_a, w):
    client = portal_client(tenant_a, w["staff"].user)
    page = client.get("/sales/")
    assert page.status_code == 200 and listed(page) == {sale.pk for sale in w["sales"].values()}
    content = page.content.decode()
    assert re.search(r'id="total-USD"><td>USD</td><td>3</td><td>600.00</td>', content)
    assert re.search(r'id="total-EUR"><td>EUR</td><td>1</td><td>400.00</td>', content)
    filtered = client.get(f"/sales/?partner={w['mine'].pk}&kind=renewal")
    assert listed(filtered) == {w["sales"]["rep2"].pk}
    assert listed(client.get("/sales/?booked_after=2026-13-01")) == set()


def test_our_sales_page_shows_the_company_or_the_reps_own(tenant_a, w):
    admin_page = portal_client(tenant_a, w["mine_admin"].user).get("/our-sales/")
    assert listed(admin_page) == {w["sales"][key].pk for key in ("rep", "rep2", "company")}
    assert 'id="id_partner"' not in admin_page.content.decode()
    rep_page = portal_client(tenant_a, w["mine_rep"].user).get("/our-sales/")
    assert listed(rep_page) == {w["sales"]["rep"].pk}
    assert "600.00" not in rep_page.content.decode()


def test_pages_are_for_their_side_only(tenant_a, w):
    assert portal_client(tenant_a, w["mine_admin"].user).get("/sales/").status_code == 403
    assert portal_client(tenant_a, w["staff"].user).get("/our-sales/").status_code == 403
    nav = portal_client(tenant_a, w["staff"].user).get("/").content.decode()
    assert 'href="/sales/"' in nav and 'href="/our-sales/"' not in nav
    partner_nav = portal_client(tenant_a, w["mine_rep"].user).get("/").content.decode()
    assert 'href="/our-sales/"' in partner_nav and 'href="/sales/"' not in partner_nav


def test_sales_page_query_count_is_fixed(tenant_a, w, django_assert_num_queries):
    client = portal_client(tenant_a, w["staff"].user)
    client.get("/sales/")
    # tenant, enter context, session, user, membership, count, totals, page, partner choices, leave context
    with django_assert_num_queries(10):
        client.get("/sales/")
    for index in range(10):
        SaleRecordFactory(partner=w["mine"], rep=w["mine_rep"].user, external_id=f"P-{index}", product=w["product"])
    with django_assert_num_queries(10):
        assert len(listed(client.get("/sales/"))) == 14


# --- tenant isolation ----------------------------------------------------------------------------------------


def test_another_vendors_sales_catalog_and_accounts_are_invisible(tenant_a, tenant_b, w):
    b_house = HouseAccountFactory(tenant=tenant_b)
    from tests.factories import ProductFactory

    b_product = ProductFactory(tenant=tenant_b)
    api = Api(tenant_a, w["tenant_admin"])
    assert api.get(f"/api/v1/sales/{w['foreign_sale'].pk}/").status_code == 404
    assert api.get(f"/api/v1/products/{b_product.pk}/").status_code == 404
    assert api.patch(f"/api/v1/products/{b_product.pk}/", {"name": "x"}).status_code == 404
    assert api.get(f"/api/v1/house-accounts/{b_house.pk}/").status_code == 404
    assert api.patch(f"/api/v1/house-accounts/{b_house.pk}/", {"notes": "x"}).status_code == 404
    assert "B-1" not in ids(api.get("/api/v1/sales/"))
    assert b_product.sku not in {p["sku"] for p in api.get("/api/v1/products/").json()["results"]}
    b_token = issue_token(w["b_admin"])
    for path in ("/api/v1/sales/", "/api/v1/products/", "/api/v1/house-accounts/"):
        assert portal_client(tenant_a).get(path, HTTP_AUTHORIZATION=f"Bearer {b_token}").status_code == 401
    # a session of tenant A is not valid on tenant B's host
    response = portal_client(tenant_a, w["staff"].user).get("/sales/", HTTP_HOST=host_of(tenant_b))
    assert response.status_code == 302
    # posting tenant B's partner by id or domain from tenant A names no partner
    batch = [{"external_id": "X", "partner": w["foreign"].pk, "customer_name": "C", "booked_on": "2026-01-01",
              "amount": "1", "currency": "USD", "kind": "one_time"}]  # fmt: skip
    assert api.post("/api/v1/sales/", batch).json()["error"]["fields"] == {
        "rows.0.partner": [f"No partner with the id or domain “{w['foreign'].pk}”."]
    }
