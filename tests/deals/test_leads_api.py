"""/api/v1/leads/: managers list, create and assign (with factors); partners see their own leads and
accept, reject or convert them; 409 with the current state when an action is not allowed."""

import json

import pytest

from deals.models import Deal, Lead
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import MembershipFactory, issue_token
from .lead_support import a_lead, assigned_lead, lead_world

URL = "/api/v1/leads/"


@pytest.fixture
def world(tenant_a):
    return lead_world(tenant_a)


def api(world, membership):
    client = portal_client(world.tenant)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(membership)}"
    return client


def post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def stored(world, lead) -> Lead:
    with tenant_context(world.tenant):
        return Lead.objects.get(pk=lead.pk)


def test_managers_list_every_lead_with_assignments_and_factors(world, django_assert_num_queries):
    for index in range(3):
        assigned_lead(world, world.other, company_name=f"Prospect {index}")
    matched = a_lead(world, company_name="Globodyne")
    client = api(world, world.manager)
    post(client, f"{URL}{matched.pk}/assign", {"best": True})
    # tenant by host, context, token, membership, count, leads, assignments, their partners, users, leave
    with django_assert_num_queries(10):
        body = client.get(URL).json()
    assert body["count"] == 4
    row = next(row for row in body["results"] if row["id"] == matched.pk)
    assert row["partner"] == {"id": world.partner.pk, "name": "Nimbus IT"}
    assert row["currency"] == world.tenant.currency and row["created_by"] == world.manager.user.email
    [assignment] = row["assignments"]
    assert (assignment["method"], assignment["outcome"]) == ("matched", "open")
    assert assignment["factors"]["total"] == 75 and assignment["factors"]["country"] == {"value": "DE", "points": 30}


def test_list_filters(world):
    late = assigned_lead(world, hours_ago=50)
    fresh = a_lead(world)
    theirs = assigned_lead(world, world.other)
    client = api(world, world.manager)

    def ids(query):
        return {row["id"] for row in client.get(f"{URL}?{query}").json()["results"]}

    assert ids("overdue=true") == {late.pk}
    assert ids("status=new") == {fresh.pk}
    assert ids(f"partner={world.other.pk}") == {theirs.pk}
    assert client.get(f"{URL}?status=bogus").status_code == 400


def test_managers_create_leads_and_bad_input_is_a_400(world):
    client = api(world, world.manager)
    response = post(
        client,
        URL,
        {"company_name": "Globodyne", "country": "de", "vertical": "healthcare", "estimated_value": "12000.50"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["country"], body["estimated_value"], body["assignments"]) == (
        "new",
        "DE",
        "12000.50",
        [],
    )
    response = post(client, URL, {"company_name": "X", "country": "ZZ", "vertical": "mining"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"country", "vertical"}
    response = post(client, URL, {"company_name": "", "contact_email": "nope"})
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"company_name", "contact_email"}
    with tenant_context(world.tenant):
        assert Lead.objects.count() == 1


def test_assign_by_partner_or_best_and_409_once_accepted(world):
    lead = a_lead(world)
    client = api(world, world.manager)
    assert post(client, f"{URL}{lead.pk}/assign", {}).status_code == 400
    assert post(client, f"{URL}{lead.pk}/assign", {"partner": world.other.pk, "best": True}).status_code == 400
    response = post(client, f"{URL}{lead.pk}/assign", {"partner": 999999})
    assert response.status_code == 400 and "partner" in response.json()["error"]["fields"]
    response = post(client, f"{URL}{lead.pk}/assign", {"partner": world.other.pk})
    assert response.status_code == 200 and response.json()["partner"]["id"] == world.other.pk
    candidates = client.get(f"{URL}{lead.pk}/candidates").json()
    assert [(row["partner"]["name"], row["factors"]["total"]) for row in candidates] == [("Nimbus IT", 75)]
    response = post(client, f"{URL}{lead.pk}/assign/", {"best": True})
    assert response.status_code == 200 and response.json()["partner"]["id"] == world.partner.pk
    post(api(world, world.rep), f"{URL}{lead.pk}/accept")
    response = post(client, f"{URL}{lead.pk}/assign", {"partner": world.other.pk})
    assert response.status_code == 409
    assert response.json()["error"]["current_state"] == "accepted"


def test_partners_see_only_their_own_leads_without_other_partners(world, django_assert_num_queries):
    mine = assigned_lead(world)
    theirs = assigned_lead(world, world.other)
    a_lead(world)  # not assigned: nobody's
    for membership in (world.admin, world.rep):
        client = api(world, membership)
        client.get(URL)  # the token's first use records it
        # tenant by host, context, token, membership, partner link, count, leads, leave
        with django_assert_num_queries(8):
            body = client.get(URL).json()
        assert [row["id"] for row in body["results"]] == [mine.pk]
        assert "assignments" not in body["results"][0] and "sla_flagged_at" not in body["results"][0]
        assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert [row["id"] for row in api(world, world.other_admin).get(URL).json()["results"]] == [theirs.pk]


def test_partner_accepts_and_a_second_answer_is_a_409(world):
    lead = assigned_lead(world)
    client = api(world, world.rep)
    response = post(client, f"{URL}{lead.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert response.json()["accepted_at"] is not None
    response = post(client, f"{URL}{lead.pk}/reject", {"reason": "changed our mind"})
    assert response.status_code == 409 and response.json()["error"]["current_state"] == "accepted"


def test_partner_rejects_with_a_reason(world):
    lead = assigned_lead(world)
    client = api(world, world.admin)
    response = post(client, f"{URL}{lead.pk}/reject", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = post(client, f"{URL}{lead.pk}/reject", {"reason": "Outside our region"})
    assert response.status_code == 200 and response.json()["status"] == "new"
    assert client.get(f"{URL}{lead.pk}/").status_code == 404


def test_partner_converts_an_accepted_lead_into_a_registration(world):
    lead = assigned_lead(world, estimated_value=42000)
    client = api(world, world.rep)
    response = post(client, f"{URL}{lead.pk}/convert", {"expected_close_date": "2027-05-31"})
    assert response.status_code == 409 and response.json()["error"]["current_state"] == "assigned"
    post(client, f"{URL}{lead.pk}/accept")
    assert post(client, f"{URL}{lead.pk}/convert", {}).status_code == 400
    response = post(client, f"{URL}{lead.pk}/convert", {"expected_close_date": "2027-05-31", "currency": "EURO"})
    assert response.status_code == 400 and "currency" in response.json()["error"]["fields"]
    response = post(client, f"{URL}{lead.pk}/convert", {"expected_close_date": "2027-05-31"})
    assert response.status_code == 201
    with tenant_context(world.tenant):
        deal = Deal.objects.get()
    assert response.json()["deal"] == deal.pk and response.json()["lead"]["status"] == "converted"
    assert (deal.source, deal.lead_id, str(deal.estimated_value)) == ("vendor_lead", lead.pk, "42000.00")


def test_roles_are_kept_apart(world):
    lead = assigned_lead(world)
    partner_client = api(world, world.admin)
    assert post(partner_client, URL, {"company_name": "X"}).status_code == 403
    assert post(partner_client, f"{URL}{lead.pk}/assign", {"best": True}).status_code == 403
    assert partner_client.get(f"{URL}{lead.pk}/candidates").status_code == 403
    staff = api(world, MembershipFactory(tenant=world.tenant, role=Role.VENDOR_STAFF))
    assert staff.get(f"{URL}{lead.pk}/").status_code == 200
    assert post(staff, f"{URL}{lead.pk}/accept").status_code == 403
    assert post(staff, f"{URL}{lead.pk}/assign", {"best": True}).status_code == 403
    assert post(api(world, world.manager), f"{URL}{lead.pk}/accept").status_code == 403
    assert stored(world, lead).status == "assigned"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "{pk}/"), ("post", "{pk}/accept"), ("post", "{pk}/reject"), ("post", "{pk}/convert")],
)
def test_another_partners_lead_is_a_404(world, method, path):
    lead = assigned_lead(world, world.other)
    client = api(world, world.rep)
    if method == "get":
        response = client.get(URL + path.format(pk=lead.pk))
    else:
        response = post(client, URL + path.format(pk=lead.pk), {"reason": "x", "expected_close_date": "2027-01-31"})
    assert response.status_code == 404
    assert stored(world, lead).status == "assigned"
