"""/api/v1/mdf/requests/: the state machine through the API (partner creates, changes and submits; a manager
approves in full or in part, rejects or returns), who may do what, 409 bodies, filters and the list's queries."""

from decimal import Decimal

import pytest

from mdf.models import MdfRequest
from prm.tenancy.context import tenant_context
from tests.mdf.factories import ActivityTypeFactory, MdfRequestFactory

from .api_world import clients, mdf_api_world


@pytest.fixture
def people(tenant_a):
    return mdf_api_world(tenant_a)


@pytest.fixture
def api(tenant_a, people):
    return clients(tenant_a, people)


def _body(people, **changes):
    world = people["world"]
    return {
        "allocation": world.allocation.pk,
        "activity_type": world.webinar.pk,
        "title": "Cloud security webinar",
        "description": "Live session with a demo.",
        "starts_on": "2026-08-04",
        "ends_on": "2026-08-04",
        "planned_cost": "4000.00",
        "requested_amount": "2000.00",
        "expected_leads": 40,
        "campaign_code": "Q3-WEB-1",
        **changes,
    }


def _create(api, people, who="a_rep", **changes):
    response = api[who].post("/api/v1/mdf/requests/", _body(people, **changes))
    assert response.status_code == 201, response.json()
    return response.json()


def test_partner_submits_and_a_manager_approves_in_part(api, people, tenant_a):
    world = people["world"]
    created = _create(api, people, partner=people["partner_b"].pk)  # a partner in the body is ignored
    assert (created["status"], created["partner"]["id"], created["currency"]) == ("draft", world.partner.pk, "USD")
    assert (created["requested_amount"], created["approved_amount"]) == ("2000.00", None)
    pk = created["id"]

    changed = api["a_admin"].patch(f"/api/v1/mdf/requests/{pk}/", {"requested_amount": "1800.00"})
    assert changed.status_code == 200 and changed.json()["requested_amount"] == "1800.00"
    assert changed.json()["title"] == "Cloud security webinar"

    submitted = api["a_rep"].post(f"/api/v1/mdf/requests/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["review_due_at"] is not None

    no_reason = api["manager"].post(f"/api/v1/mdf/requests/{pk}/approve/", {"amount": "1500.00"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    approved = api["manager"].post(
        f"/api/v1/mdf/requests/{pk}/approve/", {"amount": "1500.00", "reason": "Half the seats."}
    )
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approved_amount"]) == ("partially_approved", "1500.00")
    assert approved.json()["decision_reason"] == "Half the seats."
    balance = api["a_rep"].get(f"/api/v1/mdf/allocations/{world.allocation.pk}/").json()["balance"]
    assert (balance["requested"], balance["available"]) == ("1500.00", "1500.00")

    twice = api["tenant_admin"].post(f"/api/v1/mdf/requests/{pk}/approve/")
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "state_conflict"
    assert twice.json()["error"]["current_state"] == "partially_approved"
    locked = api["a_rep"].patch(f"/api/v1/mdf/requests/{pk}/", {"title": "Too late"})
    assert locked.status_code == 409 and locked.json()["error"]["current_state"] == "partially_approved"


def test_return_resubmit_approve_in_full_and_reject(api, people):
    pk = _create(api, people)["id"]
    api["a_rep"].post(f"/api/v1/mdf/requests/{pk}/submit/")
    no_reason = api["manager"].post(f"/api/v1/mdf/requests/{pk}/return/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    returned = api["manager"].post(f"/api/v1/mdf/requests/{pk}/return/", {"reason": "Add the agenda."})
    assert returned.json()["status"] == "returned"
    api["a_rep"].patch(f"/api/v1/mdf/requests/{pk}/", {"description": "Agenda: demo, Q&A."})
    assert api["a_rep"].post(f"/api/v1/mdf/requests/{pk}/submit/").json()["status"] == "submitted"
    approved = api["manager"].post(f"/api/v1/mdf/requests/{pk}/approve/")
    assert (approved.json()["status"], approved.json()["approved_amount"]) == ("approved", "2000.00")

    other = _create(api, people, campaign_code="Q3-WEB-2", requested_amount="500.00")["id"]
    api["a_admin"].post(f"/api/v1/mdf/requests/{other}/submit/")
    rejected = api["manager"].post(f"/api/v1/mdf/requests/{other}/reject/", {"reason": "Out of budget."})
    assert rejected.json()["status"] == "rejected"
    again = api["manager"].post(f"/api/v1/mdf/requests/{other}/return/", {"reason": "x"})
    assert again.status_code == 409 and again.json()["error"]["current_state"] == "rejected"
    resubmit = api["a_rep"].post(f"/api/v1/mdf/requests/{other}/submit/")
    assert resubmit.status_code == 409 and resubmit.json()["error"]["current_state"] == "rejected"


def test_the_amount_is_capped_on_submit(api, people):
    pk = _create(api, people, requested_amount="2000.01")["id"]  # 50 % of 4,000 = 2,000
    response = api["a_rep"].post(f"/api/v1/mdf/requests/{pk}/submit/")
    assert response.status_code == 400
    assert "2000.00 USD" in response.json()["error"]["fields"]["requested_amount"][0]


def test_bad_input_is_refused_and_changes_nothing(api, people, tenant_a):
    with tenant_context(tenant_a):
        retired = ActivityTypeFactory(tenant=tenant_a, is_active=False)
    cases = {
        "allocation": {"allocation": people["allocation_b"].pk},  # partner B's
        "activity_type": {"activity_type": retired.pk},
        "ends_on": {"ends_on": "2026-08-01"},
        "requested_amount": {"requested_amount": "4000.01"},
        "planned_cost": {"planned_cost": "-1"},
        "title": {"title": ""},
    }
    for field, changes in cases.items():
        response = api["a_rep"].post("/api/v1/mdf/requests/", _body(people, **changes))
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()["error"]["fields"], field
    _create(api, people)
    duplicate = api["a_rep"].post("/api/v1/mdf/requests/", _body(people))
    assert duplicate.status_code == 400 and "campaign_code" in duplicate.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert MdfRequest.objects.count() == 1


def test_who_may_do_what(api, people, tenant_a):
    pk = _create(api, people)["id"]
    for who in ("manager", "tenant_admin", "staff"):
        assert api[who].post("/api/v1/mdf/requests/", _body(people, campaign_code=who)).status_code == 403
        assert api[who].post(f"/api/v1/mdf/requests/{pk}/submit/").status_code == 403
        assert api[who].patch(f"/api/v1/mdf/requests/{pk}/", {"title": "x"}).status_code == 403
    # partner B cannot reach partner A's request
    assert api["b_admin"].get(f"/api/v1/mdf/requests/{pk}/").status_code == 404
    assert api["b_admin"].patch(f"/api/v1/mdf/requests/{pk}/", {"title": "x"}).status_code == 404
    assert api["b_admin"].post(f"/api/v1/mdf/requests/{pk}/submit/").status_code == 404
    api["a_rep"].post(f"/api/v1/mdf/requests/{pk}/submit/")
    for who in ("a_admin", "a_rep", "b_admin", "staff"):
        for action in ("approve", "reject", "return"):
            response = api[who].post(f"/api/v1/mdf/requests/{pk}/{action}/", {"reason": "x"})
            assert response.status_code == 403, (who, action)
    with tenant_context(tenant_a):
        assert MdfRequest.objects.get(pk=pk).status == "submitted"
    assert api["staff"].get(f"/api/v1/mdf/requests/{pk}/").status_code == 200


def test_list_filters_and_ordering(api, people, tenant_a):
    world = people["world"]
    with tenant_context(tenant_a):
        approved = MdfRequestFactory(tenant=tenant_a, allocation=world.allocation, activity_type=world.webinar)
        event = MdfRequestFactory(
            tenant=tenant_a, allocation=world.allocation, activity_type=world.event, status="submitted"
        )
        theirs = MdfRequestFactory(tenant=tenant_a, allocation=people["allocation_b"], activity_type=world.webinar)

    def ids(who, **params):
        return [row["id"] for row in api[who].get("/api/v1/mdf/requests/", **params).json()["results"]]

    assert set(ids("a_rep")) == {approved.pk, event.pk}
    assert set(ids("b_admin")) == {theirs.pk}
    assert set(ids("staff")) == {approved.pk, event.pk, theirs.pk}
    assert ids("staff", status="submitted") == [event.pk]
    assert ids("staff", partner=people["partner_b"].pk) == [theirs.pk]
    assert ids("staff", activity_type=world.event.pk) == [event.pk]
    assert set(ids("staff", fund=world.fund.pk)) == {approved.pk, event.pk, theirs.pk}
    assert ids("b_admin", partner=world.partner.pk) == []
    assert ids("staff", ordering="created_at") == [approved.pk, event.pk, theirs.pk]
    assert api["staff"].get("/api/v1/mdf/requests/", status="lost").status_code == 400


def test_the_request_list_has_a_fixed_query_count(api, people, tenant_a, django_assert_num_queries):
    world = people["world"]
    staff = api["staff"]

    def add(count):
        with tenant_context(tenant_a):
            for _ in range(count):
                MdfRequestFactory(tenant=tenant_a, allocation=world.allocation, approved_amount=Decimal("1.00"))

    add(1)
    staff.get("/api/v1/mdf/requests/")
    # host → tenant, context, token, membership, count, page (allocation, fund, partner, type joined), leave
    with django_assert_num_queries(7):
        staff.get("/api/v1/mdf/requests/")
    add(5)
    with django_assert_num_queries(7):
        assert len(staff.get("/api/v1/mdf/requests/").json()["results"]) == 6
