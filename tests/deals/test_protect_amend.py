"""Amendments: what may change in which status, by whom, recorded as history with before and after."""

from datetime import date
from decimal import Decimal

import pytest

from deals.models import Deal, DealEvent, DealLine
from deals.services import deal_amend
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import DealFactory, ProductFactory

from .protect_world import api, build_world


@pytest.fixture
def w(tenant_a):
    return build_world(tenant_a)


def test_an_amendment_records_each_changed_field_before_and_after(tenant_a, w):
    deal = w["deal"]
    before_date = deal.expected_close_date
    with tenant_context(tenant_a):
        deal_amend(
            deal=deal,
            actor=w["rep"].user,
            estimated_value="62500.5",
            expected_close_date=date(2027, 1, 15),
            contact_name="Dana Buyer",
            notes="",  # unchanged: not recorded
        )
        stored = Deal.objects.get(pk=deal.pk)
        event = DealEvent.objects.get(deal=deal, kind="amended")
        audit = AuditEvent.objects.get(action="deal.amend")
    assert (stored.estimated_value, stored.expected_close_date, stored.contact_name) == (
        Decimal("62500.50"),
        date(2027, 1, 15),
        "Dana Buyer",
    )
    assert event.actor_id == w["rep"].user_id
    assert event.changes == {
        "estimated_value": ["50000.00", "62500.50"],
        "expected_close_date": [before_date.isoformat(), "2027-01-15"],
        "contact_name": ["", "Dana Buyer"],
    }
    assert audit.changes == event.changes


def test_lines_are_replaced_and_recorded(tenant_a, w):
    old = ProductFactory(tenant=tenant_a, sku="CS-1", list_price=Decimal("100.00"))
    new = ProductFactory(tenant=tenant_a, sku="CS-2", list_price=Decimal("250.00"))
    deal = w["deal"]
    with tenant_context(tenant_a):
        DealLine.objects.create(deal=deal, product=old, quantity=2, unit_list_price=Decimal("100.00"))
        deal_amend(deal=deal, actor=w["manager"].user, lines=[{"product": new.pk, "quantity": 3}])
        assert list(DealLine.objects.filter(deal=deal).values_list("product__sku", "quantity")) == [("CS-2", 3)]
        changes = DealEvent.objects.get(deal=deal, kind="amended").changes
    assert changes == {
        "lines": [
            [{"sku": "CS-1", "quantity": 2, "unit_list_price": "100.00"}],
            [{"sku": "CS-2", "quantity": 3, "unit_list_price": "250.00"}],
        ]
    }


def test_the_same_values_change_nothing_and_record_nothing(tenant_a, w):
    deal = w["deal"]
    with tenant_context(tenant_a):
        deal_amend(deal=deal, actor=w["rep"].user, estimated_value=Decimal("50000"), contact_name="")
        assert not DealEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"estimated_value": "0"}, "estimated_value"),
        ({"estimated_value": "12.345"}, "estimated_value"),
        ({"estimated_value": None}, "estimated_value"),
        ({"expected_close_date": "31/12/2027"}, "expected_close_date"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"contact_phone": "9" * 41}, "contact_phone"),
        ({"contact_name": "Dana", "lines": [{"product": 0, "quantity": 1}]}, "lines"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(tenant_a, w, changes, field):
    deal = w["deal"]
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as error:
            deal_amend(deal=deal, actor=w["rep"].user, **changes)
        assert field in error.value.fields
        stored = Deal.objects.get(pk=deal.pk)
        assert (stored.estimated_value, stored.contact_name) == (Decimal("50000.00"), "")
        assert not DealEvent.objects.exists()


def test_nothing_to_amend_is_an_error(tenant_a, w):
    with tenant_context(tenant_a), pytest.raises(InvalidInput):
        deal_amend(deal=w["deal"], actor=w["rep"].user)


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_open_deals_can_be_amended(tenant_a, w, status):
    deal = DealFactory(partner=w["partner"], registered_by=w["rep"].user, status=status)
    with tenant_context(tenant_a):
        deal_amend(deal=deal, actor=w["rep"].user, notes="Now with a champion")
        assert DealEvent.objects.filter(deal=deal, kind="amended").exists()


@pytest.mark.parametrize("status", ["won", "lost", "expired", "rejected"])
def test_closed_deals_cannot_be_amended(tenant_a, w, status):
    deal = DealFactory(partner=w["partner"], registered_by=w["rep"].user, status=status)
    with tenant_context(tenant_a), pytest.raises(StateConflict) as error:
        deal_amend(deal=deal, actor=w["rep"].user, notes="late")
    assert error.value.current_state == status


# --- API ----------------------------------------------------------------------------------------


def test_api_amend_returns_the_deal_and_records_history(tenant_a, w):
    product = ProductFactory(tenant=tenant_a, sku="CS-9", list_price=Decimal("99.90"))
    client, rep = api(tenant_a, w["rep"])
    body = {"estimated_value": "70000.00", "lines": [{"product": product.pk, "quantity": 2}]}
    response = client.patch(f"/api/v1/deals/{w['deal'].pk}/amend", body, content_type="application/json", **rep)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["estimated_value"], data["currency"]) == ("70000.00", "USD")
    assert data["lines"] == [{"product": product.pk, "sku": "CS-9", "quantity": 2, "unit_list_price": "99.90"}]
    with tenant_context(tenant_a):
        assert set(DealEvent.objects.get(kind="amended").changes) == {"estimated_value", "lines"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"estimated_value": "lots"}, "estimated_value"),
        ({"estimated_value": "-5"}, "estimated_value"),
        ({"customer_name": "Someone else"}, "customer_name"),
        ({"lines": [{"product": 0, "quantity": 1}]}, "lines"),
        ({"lines": [{"quantity": 1}]}, "lines.0.product"),
    ],
)
def test_api_amend_bad_input_is_a_400_naming_the_field(tenant_a, w, body, field):
    client, rep = api(tenant_a, w["rep"])
    response = client.patch(f"/api/v1/deals/{w['deal'].pk}/amend", body, content_type="application/json", **rep)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert not DealEvent.objects.exists()


def test_api_amend_of_a_closed_deal_is_a_409(tenant_a, w):
    deal = DealFactory(partner=w["partner"], registered_by=w["rep"].user, status="won")
    client, rep = api(tenant_a, w["rep"])
    response = client.patch(f"/api/v1/deals/{deal.pk}/amend", {"notes": "x"}, content_type="application/json", **rep)
    assert response.status_code == 409 and response.json()["error"]["current_state"] == "won"


@pytest.mark.parametrize(
    ("who", "status"),
    [("rep", 200), ("admin", 200), ("manager", 200), ("staff", 403), ("rep2", 404), ("other_admin", 404)],
)
def test_api_amend_roles(tenant_a, w, who, status):
    client, auth = api(tenant_a, w[who])
    response = client.patch(
        f"/api/v1/deals/{w['deal'].pk}/amend", {"notes": who}, content_type="application/json", **auth
    )
    assert response.status_code == status


# --- Portal -------------------------------------------------------------------------------------


def test_the_amend_page_saves_and_shows_the_history(tenant_a, w):
    deal = w["deal"]
    client = portal_client(tenant_a, w["admin"].user)
    page = client.get(f"/deals/{deal.pk}/amend/")
    assert page.status_code == 200 and 'id="deal-amend-form"' in page.content.decode()
    form = {
        "estimated_value": "55000.00",
        "expected_close_date": deal.expected_close_date.isoformat(),
        "contact_name": "",
        "contact_email": "buyer@customer.example",
        "contact_phone": "",
        "notes": "",
    }
    response = client.post(f"/deals/{deal.pk}/amend/", form, follow=True)
    page = response.content.decode()
    assert "Deal amended" in page
    assert "<del>50000.00</del> → <ins>55000.00</ins>" in page
    assert "buyer@customer.example" in page
    bad = client.post(f"/deals/{deal.pk}/amend/", {**form, "estimated_value": "0"})
    assert bad.status_code == 400 and "Must be greater than zero." in bad.content.decode()
    with tenant_context(tenant_a):
        assert DealEvent.objects.filter(kind="amended").count() == 1


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("rep2", 404), ("other_admin", 404), ("manager", 200)])
def test_the_amend_page_by_role(tenant_a, w, who, status):
    assert portal_client(tenant_a, w[who].user).get(f"/deals/{w['deal'].pk}/amend/").status_code == status
