"""/api/v1/deals/: role scoping, conflicts per role (no identity leak), pricing, create/PATCH drafts and
every transition with its 400/403/404/409 answers."""

import json

import pytest

from deals.models import Deal, SaleRecord
from deals.services import deal_approve, deal_submit
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import DealFactory, ProductFactory, issue_token
from .core_support import core_world, register, registration

URL = "/api/v1/deals/"


@pytest.fixture
def world(tenant_a):
    return core_world(tenant_a)


def api(tenant, membership):
    client = portal_client(tenant)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}

    def call(method, path, data=None):
        body = {} if method == "get" else {"data": json.dumps(data or {}), "content_type": "application/json"}
        return getattr(client, method)(path, **body, **auth)

    return call


def body(**overrides) -> dict:
    return {**{k: str(v) for k, v in registration().items()}, **overrides}


def test_the_list_is_scoped_by_role(world, tenant_a):
    mine = DealFactory(partner=world.partner, registered_by=world.rep.user)
    colleague = DealFactory(partner=world.partner, registered_by=world.admin.user)
    rival = DealFactory(partner=world.other, registered_by=world.other_rep.user)

    def ids(member):
        return {row["id"] for row in api(tenant_a, member)("get", URL).json()["results"]}

    assert ids(world.rep) == {mine.pk}
    assert ids(world.admin) == {mine.pk, colleague.pk}
    assert ids(world.staff) == {mine.pk, colleague.pk, rival.pk}
    assert api(tenant_a, world.rep)("get", f"{URL}{colleague.pk}/").status_code == 404
    assert api(tenant_a, world.other_rep)("get", f"{URL}{mine.pk}/").status_code == 404


def submitted_with_conflict(world, tenant_a):
    rival = DealFactory(partner=world.other, customer_name="Globodyne Holdings", customer_domain="globodyne.example")
    with tenant_context(tenant_a):
        deal = deal_submit(
            deal=register(world, lines=[{"product": world.product, "quantity": 3}]), actor=world.rep.user
        )
    return deal, rival


def test_managers_get_conflict_evidence_and_partners_a_flag_only(world, tenant_a):
    deal, rival = submitted_with_conflict(world, tenant_a)
    [conflict] = api(tenant_a, world.manager)("get", f"{URL}{deal.pk}/").json()["conflicts"]
    assert (conflict["matched_on"], conflict["score"]) == ("domain", "1.000")
    assert conflict["other_registration"]["id"] == rival.pk
    assert conflict["other_registration"]["partner"] == {"id": world.other.pk, "name": "Rival Systems"}
    assert conflict["house_account"] is None
    for member in (world.rep, world.admin):
        response = api(tenant_a, member)("get", f"{URL}{deal.pk}/")
        assert response.json()["conflicts"] is True
        text = response.content.decode()
        assert "Rival Systems" not in text and "Globodyne Holdings" not in text
        assert f'"id":{rival.pk},' not in text.replace(" ", "") and str(world.other.pk) not in json.dumps(
            response.json()["partner"]
        )
        listed = api(tenant_a, member)("get", URL).content.decode()
        assert "Rival Systems" not in listed and "Globodyne Holdings" not in listed


def test_deals_show_lines_with_the_discount_stack_and_totals_as_strings(world, tenant_a):
    deal, _rival = submitted_with_conflict(world, tenant_a)
    data = api(tenant_a, world.rep)("get", f"{URL}{deal.pk}/").json()
    [line] = data["lines"]
    assert line["product"]["id"] == world.product.pk
    assert (line["quantity"], line["unit_list_price"], line["list_amount"], line["net"]) == (
        3,
        "1000.00",
        "3000.00",
        "2497.50",
    )
    assert line["discounts"] == {"tier": "300.00", "registration": "202.50", "special": "0.00"}
    assert data["pricing"] == {
        "currency": "USD",
        "tier_discount_pct": "10.00",
        "registration_discount_pct": "7.50",
        "special_discount_pct": "0.00",
        "list_amount": "3000.00",
        "tier_discount": "300.00",
        "registration_discount": "202.50",
        "special_discount": "0.00",
        "net": "2497.50",
    }
    assert (data["estimated_value"], data["currency"], data["status"]) == ("125000.00", "USD", "submitted")


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_has_a_fixed_query_count(world, tenant_a, count, django_assert_num_queries):
    for _ in range(count):
        deal = DealFactory(partner=world.partner, registered_by=world.rep.user)
        with tenant_context(tenant_a):
            deal.lines.create(product=world.product, quantity=2, unit_list_price=1000, tenant=tenant_a)
    call = api(tenant_a, world.admin)
    call("get", URL)
    # tenant, context, token, membership, partner of the user, count, rows, lines, conflicts, rules, leave
    with django_assert_num_queries(11):
        response = call("get", URL)
    assert response.json()["count"] == count


def test_partner_users_create_drafts_or_submit_at_once(world, tenant_a):
    call = api(tenant_a, world.rep)
    response = call("post", URL, body(lines=[{"product": world.product.pk, "quantity": 2}]))
    assert response.status_code == 201
    draft = response.json()
    assert (draft["status"], draft["partner"]["id"], draft["lines"][0]["quantity"]) == ("draft", world.partner.pk, 2)
    submitted = call("post", URL, body(submit=True, customer_name="Initech")).json()
    assert submitted["status"] == "submitted" and submitted["review_due_at"]
    assert api(tenant_a, world.manager)("post", URL, body()).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"estimated_value": "0"}, "estimated_value"),
        ({"estimated_value": "12.345"}, "estimated_value"),
        ({"currency": "EURO"}, "currency"),
        ({"customer_name": ""}, "customer_name"),
        ({"lines": [{"product": 0, "quantity": 1}]}, "lines.0.product"),
        ({"lines": [{"quantity": 0}]}, "lines.0.quantity"),
    ],
)
def test_bad_registrations_answer_400_and_store_nothing(world, tenant_a, tenant_b, overrides, field):
    response = api(tenant_a, world.rep)("post", URL, body(**overrides))
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert not Deal.objects.exists()


def test_another_tenants_product_is_not_a_choice(world, tenant_a, tenant_b):
    foreign = ProductFactory(tenant=tenant_b)
    response = api(tenant_a, world.rep)("post", URL, body(lines=[{"product": foreign.pk, "quantity": 1}]))
    assert response.status_code == 400 and "lines.0.product" in response.json()["error"]["fields"]


def test_patch_changes_drafts_only(world, tenant_a):
    call = api(tenant_a, world.rep)
    deal = call("post", URL, body()).json()
    response = call("patch", f"{URL}{deal['id']}/", {"estimated_value": "5000.00"})
    assert response.status_code == 200 and response.json()["estimated_value"] == "5000.00"
    assert call("post", f"{URL}{deal['id']}/submit").json()["status"] == "submitted"
    refused = call("patch", f"{URL}{deal['id']}/", {"estimated_value": "6000.00"})
    assert refused.status_code == 409
    assert refused.json()["error"]["current_state"] == "submitted"
    assert api(tenant_a, world.manager)("patch", f"{URL}{deal['id']}/", {"notes": "x"}).status_code == 403


def test_decisions_are_for_managers_and_answer_409_when_not_allowed(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
    rep, manager = api(tenant_a, world.rep), api(tenant_a, world.manager)
    for path in ("approve", "reject", "special-pricing"):
        assert rep("post", f"{URL}{deal.pk}/{path}", {"reason": "x", "percent": "1"}).status_code == 403
    assert api(tenant_a, world.staff)("post", f"{URL}{deal.pk}/approve").status_code == 403
    reject = manager("post", f"{URL}{deal.pk}/reject", {})
    assert reject.status_code == 400 and "reason" in reject.json()["error"]["fields"]
    approved = manager("post", f"{URL}{deal.pk}/approve", {"note": "Welcome."})
    assert approved.status_code == 200 and approved.json()["protected_until"]
    again = manager("post", f"{URL}{deal.pk}/approve/")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "state_conflict",
        "message": "A registration that is approved cannot be approved.",
        "current_state": "approved",
    }
    priced = manager("post", f"{URL}{deal.pk}/special-pricing", {"percent": "12.5"})
    assert priced.json()["special_discount_pct"] == "12.50"
    assert manager("post", f"{URL}{deal.pk}/special-pricing", {"percent": "101"}).status_code == 400


def test_close_won_and_close_lost(world, tenant_a):
    with tenant_context(tenant_a):
        won = deal_approve(deal=deal_submit(deal=register(world), actor=world.rep.user), actor=world.manager.user)
        lost = deal_submit(deal=register(world, customer_name="Initech", customer_domain=""), actor=world.rep.user)
    rep = api(tenant_a, world.rep)
    missing = rep("post", f"{URL}{won.pk}/close-won", {"amount": "900.00"})
    assert missing.status_code == 400 and "lines" in missing.json()["error"]["fields"]
    lines = [{"product": world.product.pk, "quantity": 1}, {"product": world.recurring.pk, "quantity": 1}]
    closed = rep("post", f"{URL}{won.pk}/close-won", {"amount": "900.00", "lines": lines})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_amount"]) == ("won", "900.00")
    with tenant_context(tenant_a):
        assert sum(SaleRecord.objects.values_list("amount", flat=True)) == 900
    assert rep("post", f"{URL}{won.pk}/close-won", {"amount": "900.00"}).status_code == 409
    assert rep("post", f"{URL}{lost.pk}/close-won", {"amount": "900.00"}).json()["error"]["current_state"] == (
        "submitted"
    )
    assert rep("post", f"{URL}{lost.pk}/close-lost", {}).status_code == 400
    response = api(tenant_a, world.manager)("post", f"{URL}{lost.pk}/close-lost", {"reason": "No budget."})
    assert (response.json()["status"], response.json()["lost_reason"]) == ("lost", "No budget.")


def test_filters(world, tenant_a):
    approved = DealFactory(partner=world.partner, status="approved")
    DealFactory(partner=world.partner, source="vendor_lead")
    call = api(tenant_a, world.staff)
    assert [row["id"] for row in call("get", f"{URL}?status=approved").json()["results"]] == [approved.pk]
    assert call("get", f"{URL}?source=vendor_lead").json()["count"] == 1
    assert call("get", f"{URL}?conflicts=true").json()["count"] == 0
    assert call("get", f"{URL}?status=nope").status_code == 400
