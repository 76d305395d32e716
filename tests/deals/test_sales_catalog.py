"""The catalog: products and house accounts through the services, the admin (forms and CSV imports) and the API."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deals.models import HouseAccount, Product
from deals.services import (
    ImportRejected,
    house_account_create,
    house_accounts_import,
    product_create,
    product_update,
    products_import,
)
from prm.errors import Duplicate, InvalidInput
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.factories import HouseAccountFactory, ProductFactory

from .sales_world import sales_world


@pytest.fixture
def w(tenant_a, tenant_b):
    return sales_world(tenant_a, tenant_b)


def products(tenant) -> dict[str, Product]:
    with tenant_context(tenant):
        return {product.sku: product for product in Product.objects.all()}


# --- products ---------------------------------------------------------------------------------------------


def test_product_create_normalises_and_checks(tenant_a, w):
    with tenant_context(tenant_a):
        product = product_create(
            actor=None, sku=" NET-1 ", name="Network", list_price="99.90", currency="eur", billing="recurring",
            billing_period="month",
        )  # fmt: skip
        assert (product.sku, product.currency, product.list_price) == ("NET-1", "EUR", Decimal("99.90"))
        with pytest.raises(Duplicate) as duplicate:
            product_create(actor=None, sku="cs-100", name="Copy", list_price="1", currency="USD")
        assert "sku" in duplicate.value.fields


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"billing": "recurring"}, "billing_period"),
        ({"billing_period": "month"}, "billing_period"),
        ({"currency": "DOLLAR"}, "currency"),
        ({"list_price": "-1"}, "list_price"),
        ({"list_price": "1.001"}, "list_price"),
        ({"sku": ""}, "sku"),
        ({"billing": "weekly"}, "billing"),
    ],
)
def test_product_rules(tenant_a, w, fields, field):
    values = {"sku": "NEW-1", "name": "New", "list_price": "10", "currency": "USD", **fields}
    with tenant_context(tenant_a), pytest.raises(InvalidInput) as error:
        product_create(actor=None, **values)
    assert field in error.value.fields
    assert "NEW-1" not in products(tenant_a)


def test_product_update_keeps_sku_unique_except_for_itself(tenant_a, w):
    with tenant_context(tenant_a):
        second = ProductFactory(tenant=tenant_a, sku="CS-200")
        assert product_update(product=w["product"], actor=None, sku="cs-100", name="Renamed").name == "Renamed"
        with pytest.raises(Duplicate):
            product_update(product=second, actor=None, sku="CS-100")


def test_products_import_upserts_by_sku(tenant_a, w):
    rows = [
        {"sku": "cs-100", "name": "Cloud Suite 2", "list_price": "1300", "currency": "USD"},
        {"sku": "NET-1", "name": "Network", "list_price": "20", "currency": "USD", "billing": "recurring",
         "billing_period": "year", "is_active": "no", "family": "Net"},
    ]  # fmt: skip
    with tenant_context(tenant_a):
        result = products_import(rows=rows, actor=None)
    assert (result.created, result.updated) == (1, 1)
    catalog = products(tenant_a)
    assert (catalog["CS-100"].name, catalog["CS-100"].list_price, catalog["CS-100"].family) == (
        "Cloud Suite 2",
        Decimal("1300.00"),
        "Cloud",  # no family column: kept
    )
    assert (catalog["NET-1"].billing_period, catalog["NET-1"].is_active) == ("year", False)


def test_products_import_is_all_or_nothing(tenant_a, w):
    rows = [
        {"sku": "A-1", "name": "A", "list_price": "1", "currency": "USD"},
        {"sku": "a-1", "name": "A again", "list_price": "1", "currency": "USD"},
        {"sku": "B-1", "name": "", "list_price": "x", "currency": "USD", "billing": "recurring"},
    ]
    with tenant_context(tenant_a), pytest.raises(ImportRejected) as rejected:
        products_import(rows=rows, actor=None, row_numbers=[2, 3, 4])
    assert rejected.value.rows[3] == {"sku": ["The SKU a-1 is already in row 2."]}
    assert set(rejected.value.rows[4]) == {"name", "list_price", "billing_period"}
    assert set(products(tenant_a)) == {"CS-100"}


# --- house accounts -----------------------------------------------------------------------------------------


def test_house_accounts_keep_a_normalised_name_and_domain(tenant_a, w):
    with tenant_context(tenant_a):
        account = house_account_create(actor=None, company_name="Globodyne, Inc.", domain="https://www.Globodyne.com/")
        assert (account.name_normalised, account.domain) == ("globodyne", "globodyne.com")
        with pytest.raises(Duplicate):
            house_account_create(actor=None, company_name="Globodyne EU", domain="globodyne.com")
        with pytest.raises(InvalidInput) as error:
            house_account_create(actor=None, company_name="", domain="not a domain", owner_email="nope")
        assert set(error.value.fields) == {"company_name", "domain", "owner_email"}


def test_house_accounts_import_matches_by_domain_then_name(tenant_a, w):
    with tenant_context(tenant_a):
        by_domain = HouseAccountFactory(tenant=tenant_a, company_name="Initech", domain="initech.example")
        by_name = HouseAccountFactory(tenant=tenant_a, company_name="Hooli Inc", domain="")
        result = house_accounts_import(
            rows=[
                {"company_name": "Initech Corporation", "domain": "www.initech.example", "owner_name": "Bill"},
                {"company_name": "HOOLI", "owner_email": "Gavin@Hooli.example"},
                {"company_name": "Vandelay Industries", "domain": "vandelay.example"},
            ],
            actor=None,
        )
        assert (result.created, result.updated) == (1, 2)
        by_domain.refresh_from_db()
        by_name.refresh_from_db()
        assert (by_domain.company_name, by_domain.owner_name) == ("Initech Corporation", "Bill")
        assert by_name.owner_email == "gavin@hooli.example"
        assert HouseAccount.objects.get(domain="vandelay.example").name_normalised == "vandelay industries"
        with pytest.raises(ImportRejected) as rejected:
            house_accounts_import(
                rows=[{"company_name": "X", "domain": "x.example"}, {"company_name": "X2", "domain": "X.example"}],
                actor=None,
            )
        assert "domain" in rejected.value.rows[1]
        assert HouseAccount.objects.count() == 3


# --- admin ---------------------------------------------------------------------------------------------------


def test_admin_product_form_shows_the_service_rules(tenant_a, w):
    client = portal_client(tenant_a, w["tenant_admin"].user)
    data = {"sku": "CS-100", "name": "Dup", "list_price": "1", "currency": "USD", "billing": "one_time"}
    page = client.post("/admin/deals/product/add/", {**data, "is_active": "on"})
    assert page.status_code == 200 and "Another product already has the SKU" in page.content.decode()
    page = client.post("/admin/deals/product/add/", {**data, "sku": "NEW-9", "billing": "recurring"})
    assert "A recurring product needs a billing period." in page.content.decode()
    assert client.post("/admin/deals/product/add/", {**data, "sku": "NEW-9"}).status_code == 302
    assert "NEW-9" in products(tenant_a)


def test_channel_managers_view_products_but_only_tenant_admins_change_them(tenant_a, w):
    manager = portal_client(tenant_a, w["manager"].user)
    assert manager.get("/admin/deals/product/").status_code == 200
    assert manager.get("/admin/deals/product/add/").status_code == 403
    assert manager.get("/admin/deals/product/import/").status_code == 403
    assert portal_client(tenant_a, w["mine_admin"].user).get("/admin/deals/houseaccount/").status_code in (302, 403)


def test_admin_imports_products_from_csv(tenant_a, w):
    text = (
        "SKU,Name,List price,Currency,Billing,Billing period\n"
        "CS-100,Cloud Suite X,1500,USD,,\n"
        "NET-1,Net,9.99,USD,recurring,month\n"
    )
    upload = SimpleUploadedFile("products.csv", text.encode(), content_type="application/vnd.ms-excel")
    page = portal_client(tenant_a, w["tenant_admin"].user).post("/admin/deals/product/import/", {"file": upload})
    assert page.status_code == 200 and "1 created, 1 updated" in page.content.decode()
    assert products(tenant_a)["CS-100"].name == "Cloud Suite X"


def test_admin_house_account_import_reports_lines_and_imports_nothing(tenant_a, w):
    text = "company_name,domain\nGood Co,good.example\n,bad.example\n"
    upload = SimpleUploadedFile("accounts.csv", text.encode(), content_type="text/csv")
    page = portal_client(tenant_a, w["manager"].user).post("/admin/deals/houseaccount/import/", {"file": upload})
    assert page.status_code == 400 and 'class="line-3"' in page.content.decode()
    with tenant_context(tenant_a):
        assert not HouseAccount.objects.exists()


# --- API -------------------------------------------------------------------------------------------------------


def test_every_member_reads_products_partners_only_active_ones(tenant_a, w):
    ProductFactory(tenant=tenant_a, sku="OLD-1", is_active=False)
    staff = Api(tenant_a, w["staff"]).get("/api/v1/products/").json()
    partner = Api(tenant_a, w["mine_rep"]).get("/api/v1/products/").json()
    assert {p["sku"] for p in staff["results"]} == {"CS-100", "OLD-1"}
    assert [p["sku"] for p in partner["results"]] == ["CS-100"]
    assert partner["results"][0]["list_price"] == "1200.00" and partner["results"][0]["currency"] == "USD"
    assert Api(tenant_a, w["staff"]).get("/api/v1/products/", q="old").json()["count"] == 1


def test_tenant_admins_write_products_through_the_api(tenant_a, w):
    payload = {"sku": "API-1", "name": "Api", "list_price": "10.50", "currency": "USD"}
    assert Api(tenant_a, w["manager"]).post("/api/v1/products/", payload).status_code == 403
    admin = Api(tenant_a, w["tenant_admin"])
    created = admin.post("/api/v1/products/", payload)
    assert created.status_code == 201 and created.json()["billing"] == "one_time"
    assert admin.post("/api/v1/products/", {**payload, "sku": "api-1"}).status_code == 409
    bad = admin.post("/api/v1/products/", {**payload, "sku": "API-2", "billing": "recurring"})
    assert bad.status_code == 400 and "billing_period" in bad.json()["error"]["fields"]
    patched = admin.patch(f"/api/v1/products/{created.json()['id']}/", {"is_active": False})
    assert patched.status_code == 200 and patched.json()["is_active"] is False


def test_house_accounts_api_is_vendor_only(tenant_a, w):
    HouseAccountFactory(tenant=tenant_a, company_name="Initech", domain="initech.example")
    assert Api(tenant_a, w["staff"]).get("/api/v1/house-accounts/").json()["count"] == 1
    for partner_user in ("mine_admin", "mine_rep"):
        assert Api(tenant_a, w[partner_user]).get("/api/v1/house-accounts/").status_code == 403
    payload = {"company_name": "Hooli", "domain": "https://hooli.example"}
    assert Api(tenant_a, w["staff"]).post("/api/v1/house-accounts/", payload).status_code == 403
    created = Api(tenant_a, w["manager"]).post("/api/v1/house-accounts/", payload)
    assert created.status_code == 201 and created.json()["domain"] == "hooli.example"
    duplicate = Api(tenant_a, w["manager"]).post("/api/v1/house-accounts/", {**payload, "company_name": "Hooli 2"})
    assert duplicate.status_code == 409
