"""/api/v1/mdf/funds/, /allocations/ and /activity-types/: totals and balances as each reader may see them,
manager writes through the services (409 over budget), filters and fixed list query counts."""

from decimal import Decimal

import pytest

from mdf.models import Allocation, Fund
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory
from tests.mdf.factories import ActivityTypeFactory, AllocationFactory, FundFactory, MdfClaimFactory, MdfRequestFactory

from .api_world import clients, mdf_api_world

D = Decimal


@pytest.fixture
def people(tenant_a):
    return mdf_api_world(tenant_a)


@pytest.fixture
def api(tenant_a, people):
    return clients(tenant_a, people)


def _spend(tenant, people):
    """Partner A: a 1,000 request approved and claimed for 900 (submitted); 400 expired."""
    world = people["world"]
    with tenant_context(tenant):
        request = MdfRequestFactory(tenant=tenant, allocation=world.allocation, activity_type=world.webinar)
        MdfClaimFactory(tenant=tenant, request=request, amount=D("900.00"), status="submitted")
        Allocation.objects.filter(pk=world.allocation.pk).update(expired_amount=D("400.00"))


def test_vendor_staff_see_fund_totals_and_partners_only_their_own(api, people, tenant_a):
    _spend(tenant_a, people)
    fund = people["world"].fund
    body = api["staff"].get(f"/api/v1/mdf/funds/{fund.pk}/").json()
    assert (body["budget"], body["currency"], body["expires_on"]) == ("10000.00", "USD", fund.expires_on.isoformat())
    assert body["totals"] == {
        "allocated": "5000.00",
        "expired": "400.00",
        "requested": "100.00",
        "claimed": "900.00",
        "approved": "0.00",
        "paid": "0.00",
        "committed": "1000.00",
        "available": "3600.00",
        "available_to_allocate": "5400.00",  # 10,000 − (5,000 − 400)
    }
    mine = api["a_rep"].get(f"/api/v1/mdf/funds/{fund.pk}/").json()
    assert mine["budget"] is None and mine["totals"]["available_to_allocate"] is None
    assert (mine["totals"]["allocated"], mine["totals"]["available"]) == ("3000.00", "1600.00")
    theirs = api["b_admin"].get("/api/v1/mdf/funds/").json()["results"][0]["totals"]
    assert (theirs["allocated"], theirs["committed"], theirs["available"]) == ("2000.00", "0.00", "2000.00")


def test_partners_see_only_funds_they_have_allocations_in(api, people, tenant_a):
    with tenant_context(tenant_a):
        other = FundFactory(tenant=tenant_a, name="Q4")
        AllocationFactory(tenant=tenant_a, fund=other, partner=people["partner_b"])
    ids = {fund["id"] for fund in api["a_admin"].get("/api/v1/mdf/funds/").json()["results"]}
    assert ids == {people["world"].fund.pk}
    assert api["a_admin"].get(f"/api/v1/mdf/funds/{other.pk}/").status_code == 404
    assert len(api["staff"].get("/api/v1/mdf/funds/").json()["results"]) == 2


def test_fund_filters(api, people, tenant_a):
    with tenant_context(tenant_a):
        FundFactory(tenant=tenant_a, name="2030", scheme="year", starts_on="2030-01-01", ends_on="2030-12-31")
    staff = api["staff"]
    names = lambda **params: [fund["name"] for fund in staff.get("/api/v1/mdf/funds/", **params).json()["results"]]  # noqa: E731
    assert names(active="2030-03-01") == ["2030"]
    assert names(active=people["world"].fund.starts_on.isoformat()) == [people["world"].fund.name]
    assert names(scheme="year") == ["2030"]
    bad = staff.get("/api/v1/mdf/funds/", active="soon")
    assert bad.status_code == 400 and "active" in bad.json()["error"]["fields"]


def test_managers_create_funds(api, tenant_a):
    body = {
        "name": "Q1 2027",
        "scheme": "quarter",
        "starts_on": "2027-01-01",
        "ends_on": "2027-03-31",
        "budget": "25000.00",
        "currency": "EUR",
        "claim_window_days": 90,
    }
    created = api["manager"].post("/api/v1/mdf/funds/", body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["budget"], data["claim_window_days"], data["totals"]["available_to_allocate"]) == (
        "25000.00", 90, "25000.00",
    )  # fmt: skip
    bad = api["tenant_admin"].post("/api/v1/mdf/funds/", {**body, "name": "Q2", "ends_on": "2026-12-31"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_error"
    wrong_currency = api["tenant_admin"].post("/api/v1/mdf/funds/", {**body, "name": "Q3", "currency": "XXQ"})
    assert wrong_currency.status_code == 400 and "currency" in wrong_currency.json()["error"]["fields"]
    duplicate = api["manager"].post("/api/v1/mdf/funds/", body)
    assert duplicate.status_code == 400 and "name" in duplicate.json()["error"]["fields"]
    for who in ("staff", "a_admin"):
        assert api[who].post("/api/v1/mdf/funds/", {**body, "name": who}).status_code == 403
    with tenant_context(tenant_a):
        assert Fund.objects.count() == 2 and Fund.objects.filter(name="Q1 2027").exists()


def test_allocations_carry_the_full_balance_and_the_expiry_date(api, people, tenant_a):
    _spend(tenant_a, people)
    world = people["world"]
    body = api["a_admin"].get("/api/v1/mdf/allocations/").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert (row["partner"]["id"], row["fund"]["id"], row["currency"]) == (world.partner.pk, world.fund.pk, "USD")
    assert (row["amount"], row["expires_on"], row["source"]) == ("3000.00", world.fund.expires_on.isoformat(), "manual")
    assert row["balance"] == {
        "allocated": "3000.00",
        "expired": "400.00",
        "requested": "100.00",
        "claimed": "900.00",
        "approved": "0.00",
        "paid": "0.00",
        "committed": "1000.00",
        "available": "1600.00",
    }
    assert api["a_admin"].get(f"/api/v1/mdf/allocations/{people['allocation_b'].pk}/").status_code == 404
    staff = api["staff"]
    assert staff.get("/api/v1/mdf/allocations/").json()["count"] == 2
    assert staff.get("/api/v1/mdf/allocations/", partner=people["partner_b"].pk).json()["count"] == 1
    assert staff.get("/api/v1/mdf/allocations/", fund=world.fund.pk, source="tier").json()["count"] == 0
    assert staff.get("/api/v1/mdf/allocations/", source="nope").status_code == 400


def test_the_allocation_list_has_a_fixed_query_count(api, people, tenant_a, django_assert_num_queries):
    staff = api["staff"]
    staff.get("/api/v1/mdf/allocations/")
    # host → tenant, context, token, membership, count, page (with fund and partner), balances, leave context
    with django_assert_num_queries(8):
        staff.get("/api/v1/mdf/allocations/")
    with tenant_context(tenant_a):
        for _ in range(4):
            allocation = AllocationFactory(tenant=tenant_a, fund=people["world"].fund, amount=D("10.00"))
            MdfRequestFactory(tenant=tenant_a, allocation=allocation, approved_amount=D("5.00"))
    with django_assert_num_queries(8):
        assert len(staff.get("/api/v1/mdf/allocations/").json()["results"]) == 6


def test_the_fund_list_has_a_fixed_query_count(api, people, tenant_a, django_assert_num_queries):
    staff = api["staff"]
    staff.get("/api/v1/mdf/funds/")
    # host → tenant, context, token, membership, count, page, allocations, balances, leave context
    with django_assert_num_queries(9):
        staff.get("/api/v1/mdf/funds/")
    with tenant_context(tenant_a):
        for n in range(3):
            AllocationFactory(tenant=tenant_a, fund=FundFactory(tenant=tenant_a, name=f"More {n}"))
    with django_assert_num_queries(9):
        assert len(staff.get("/api/v1/mdf/funds/").json()["results"]) == 4


def test_managers_give_and_change_allocations_within_the_budget(api, people, tenant_a):
    world, manager = people["world"], api["manager"]
    with tenant_context(tenant_a):
        partner_c = PartnerFactory(tenant=tenant_a, program=world.tier.program)
    created = manager.post(
        "/api/v1/mdf/allocations/",
        {"fund": world.fund.pk, "partner": partner_c.pk, "amount": "1500.00", "note": "Launch"},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["balance"]["available"] == "1500.00"
    again = manager.post("/api/v1/mdf/allocations/", {"fund": world.fund.pk, "partner": partner_c.pk, "amount": "1600"})
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert again.json()["amount"] == "1600.00"

    # B and C hold 2,000 + 1,600 of the 10,000: A's allocation can be at most 6,400
    over = manager.patch(f"/api/v1/mdf/allocations/{world.allocation.pk}/", {"amount": "6400.01"})
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "state_conflict" and "6400.00 USD left" in over.json()["error"]["message"]
    fits = manager.patch(f"/api/v1/mdf/allocations/{world.allocation.pk}/", {"amount": "6400.00"})
    assert fits.status_code == 200 and fits.json()["balance"]["allocated"] == "6400.00"

    negative = manager.patch(f"/api/v1/mdf/allocations/{world.allocation.pk}/", {"amount": "-1"})
    assert negative.status_code == 400 and "amount" in negative.json()["error"]["fields"]
    with tenant_context(tenant_a):
        other_fund = FundFactory(tenant=tenant_a, name="Elsewhere")
    unknown = manager.post("/api/v1/mdf/allocations/", {"fund": 999999, "partner": partner_c.pk, "amount": "1"})
    assert unknown.status_code == 400 and "fund" in unknown.json()["error"]["fields"]
    unknown = manager.post("/api/v1/mdf/allocations/", {"fund": other_fund.pk, "partner": 999999, "amount": "1"})
    assert unknown.status_code == 400 and "partner" in unknown.json()["error"]["fields"]
    for who in ("staff", "a_admin"):
        assert api[who].patch(f"/api/v1/mdf/allocations/{world.allocation.pk}/", {"amount": "1"}).status_code == 403
    with tenant_context(tenant_a):
        assert Allocation.objects.get(pk=world.allocation.pk).amount == D("6400.00")


def test_activity_types_lists_the_active_ones_with_their_required_proof(api, people, tenant_a):
    with tenant_context(tenant_a):
        ActivityTypeFactory(tenant=tenant_a, key="radio", name="Radio", is_active=False)
    body = api["a_rep"].get("/api/v1/mdf/activity-types/").json()
    by_key = {row["key"]: row for row in body["results"]}
    assert set(by_key) == {"webinar", "event"}
    assert by_key["event"]["required_proof"] == ["invoice", "photo", "attendees"]
    event = people["world"].event
    assert api["staff"].get(f"/api/v1/mdf/activity-types/{event.pk}/").json()["name"] == "Event / booth"


def test_managers_move_unallocated_budget_between_funds_of_one_currency(api, people, tenant_a):
    world = people["world"]  # 10,000 USD, 5,000 allocated to partners A and B
    with tenant_context(tenant_a):
        target = FundFactory(tenant=tenant_a, name="Next", budget=Decimal("1000.00"))
        euro = FundFactory(tenant=tenant_a, name="Euro", currency="EUR")
    path = f"/api/v1/mdf/funds/{world.fund.pk}/move-budget/"
    body = {"target": target.pk, "amount": "5000.00", "reason": "Unused budget into the next pool"}
    assert api["staff"].post(path, body).status_code == 403
    too_much = api["manager"].post(path, {**body, "amount": "5000.01"})
    assert too_much.status_code == 409 and "5000.00 USD left" in too_much.json()["error"]["message"]
    assert api["manager"].post(path, {**body, "target": euro.pk}).json()["error"]["fields"].keys() == {"target"}
    assert api["manager"].post(path, {**body, "target": 999999}).status_code == 400
    moved = api["manager"].post(path, body)
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["budget"], moved.json()["totals"]["available_to_allocate"]) == ("5000.00", "0.00")
    with tenant_context(tenant_a):
        target.refresh_from_db()
    assert target.budget == Decimal("6000.00")
