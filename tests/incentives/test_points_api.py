"""/api/v1/points/, /rewards/ and /redemptions/: who sees what, the catalog by tier, manager writes, redemption
requests with Idempotency-Key, decisions, error statuses and fixed query counts."""

import pytest

from incentives.models import Redemption, Reward
from prm.tenancy.context import tenant_context
from tests.api_client import Api

from .points_world import points_world


@pytest.fixture
def world(tenant_a):
    return points_world(tenant_a)


@pytest.fixture
def api(tenant_a, world):
    return lambda who: Api(tenant_a, world[who])


# --- points ---------------------------------------------------------------------------------------------------
def test_a_rep_sees_only_its_own_points(api, world):
    rep = api("mine_rep")
    body = rep.get("/api/v1/points/").json()
    assert body["recipient"]["type"] == "user" and body["recipient"]["id"] == world["mine_rep"].user.pk
    assert body["balance"]["available"] == 1000 and body["balance"]["earned"] == 1000
    assert body["count"] == 1 and body["results"][0]["amount"] == 1000
    assert body["results"][0]["entry_type"] == "earning"
    assert rep.get("/api/v1/points/", user=world["mine_rep2"].user.pk).status_code == 404
    assert rep.get("/api/v1/points/", partner=world["mine"].pk).status_code == 404
    assert rep.get("/api/v1/points/", user="x").status_code == 404
    assert rep.get("/api/v1/points/", user=world["mine_rep"].user.pk).status_code == 200


def test_partner_admins_see_their_company_and_people_managers_see_anyone(api, world):
    admin = api("mine_admin")
    company = admin.get("/api/v1/points/", partner=world["mine"].pk).json()
    assert (company["recipient"]["type"], company["balance"]["available"]) == ("partner", 2000)
    assert admin.get("/api/v1/points/", user=world["mine_rep2"].user.pk).json()["balance"]["available"] == 400
    assert admin.get("/api/v1/points/", partner=world["other"].pk).status_code == 404
    assert admin.get("/api/v1/points/", user=world["other_rep"].user.pk).status_code == 404
    staff = api("staff")
    assert staff.get("/api/v1/points/", user=world["other_rep"].user.pk).json()["balance"]["available"] == 600
    assert staff.get("/api/v1/points/", partner=world["mine"].pk).json()["balance"]["available"] == 2000
    assert staff.get("/api/v1/points/", partner=999999).status_code == 404


def test_the_points_list_has_a_fixed_query_count(api, world, tenant_a, django_assert_num_queries):
    rep = api("mine_rep")
    rep.get("/api/v1/points/")
    with django_assert_num_queries(10):
        rep.get("/api/v1/points/")


# --- rewards --------------------------------------------------------------------------------------------------
def _names(response):
    return sorted(row["name"] for row in response.json()["results"])


def test_the_catalog_by_tier_and_managers_write(api, world):
    assert _names(api("mine_rep").get("/api/v1/rewards/")) == ["Gift card", "Hoodie", "Summit"]
    assert _names(api("other_rep").get("/api/v1/rewards/")) == ["Gift card", "Hoodie"]
    assert api("other_rep").get(f"/api/v1/rewards/{world['summit'].pk}/").status_code == 404
    assert api("mine_rep").get(f"/api/v1/rewards/{world['retired'].pk}/").status_code == 404
    assert len(api("staff").get("/api/v1/rewards/").json()["results"]) == 4

    manager = api("manager")
    body = {"name": "Backpack", "kind": "swag", "points_cost": 700, "stock": 3, "eligible_tier_ids": [world["gold"].pk]}
    created = manager.post("/api/v1/rewards/", body)
    assert created.status_code == 201, created.json()
    assert created.json()["eligible_tier_ids"] == [world["gold"].pk]
    bad = manager.post("/api/v1/rewards/", {**body, "eligible_tier_ids": [999999]})
    assert bad.status_code == 400 and "eligible_tier_ids" in bad.json()["error"]["fields"]
    changed = manager.patch(f"/api/v1/rewards/{created.json()['id']}/", {"is_active": False})
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert api("mine_admin").post("/api/v1/rewards/", body).status_code == 403
    assert api("staff").patch(f"/api/v1/rewards/{world['card'].pk}/", {"points_cost": 1}).status_code == 403


def test_the_rewards_list_has_a_fixed_query_count(api, django_assert_num_queries):
    rep = api("mine_rep")
    rep.get("/api/v1/rewards/")
    with django_assert_num_queries(8):
        assert len(rep.get("/api/v1/rewards/").json()["results"]) == 3


# --- redemptions ----------------------------------------------------------------------------------------------
def test_a_request_with_an_idempotency_key_is_made_once(api, world, tenant_a):
    rep = api("mine_rep")
    first = rep.post("/api/v1/redemptions/", {"reward": world["hoodie"].pk, "note": "L"}, HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == 201, first.json()
    again = rep.post("/api/v1/redemptions/", {"reward": world["hoodie"].pk, "note": "L"}, HTTP_IDEMPOTENCY_KEY="r-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = rep.post("/api/v1/redemptions/", {"reward": world["card"].pk}, HTTP_IDEMPOTENCY_KEY="r-1")
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"
    with tenant_context(tenant_a):
        assert Redemption.objects.count() == 1
        assert Reward.objects.get(pk=world["hoodie"].pk).stock == 1
    body = first.json()
    assert (body["status"], body["points"], body["reward"]["name"], body["points_age_days"]) == (
        "requested", 200, "Hoodie", 100,
    )  # fmt: skip
    assert rep.get("/api/v1/points/").json()["balance"]["available"] == 800


def test_request_errors(api, world, tenant_a):
    rep2 = api("mine_rep2")  # 400 points
    poor = rep2.post("/api/v1/redemptions/", {"reward": world["summit"].pk}, HTTP_IDEMPOTENCY_KEY="poor")
    assert poor.status_code == 409 and poor.json()["error"]["code"] == "insufficient_points"
    # The failed request left its key free: a corrected request may use it.
    assert (
        rep2.post("/api/v1/redemptions/", {"reward": world["card"].pk}, HTTP_IDEMPOTENCY_KEY="poor").status_code == 201
    )
    other = api("other_rep")
    for reward in ("summit", "retired"):  # not in the silver catalog / inactive
        response = other.post("/api/v1/redemptions/", {"reward": world[reward].pk})
        assert response.status_code == 400 and "reward" in response.json()["error"]["fields"]
    assert other.post("/api/v1/redemptions/", {"reward": world["card"].pk, "account": "company"}).status_code == 403
    assert other.post("/api/v1/redemptions/", {"reward": world["card"].pk, "account": "bank"}).status_code == 400
    assert api("manager").post("/api/v1/redemptions/", {"reward": world["card"].pk}).status_code == 403


def _request(api, world, who, reward="card"):
    response = api(who).post("/api/v1/redemptions/", {"reward": world[reward].pk})
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_who_sees_which_redemptions(api, world):
    mine = _request(api, world, "mine_rep")
    mine2 = _request(api, world, "mine_rep2")
    other = _request(api, world, "other_rep")

    def ids(who):
        return sorted(row["id"] for row in api(who).get("/api/v1/redemptions/").json()["results"])

    assert ids("mine_rep") == [mine]
    assert ids("mine_admin") == sorted([mine, mine2])
    assert ids("other_admin") == [other]
    assert ids("staff") == sorted([mine, mine2, other])
    assert api("mine_rep").get(f"/api/v1/redemptions/{mine2}/").status_code == 404
    assert api("mine_admin").get(f"/api/v1/redemptions/{other}/").status_code == 404
    assert api("mine_admin").get(f"/api/v1/redemptions/{mine2}/").status_code == 200


def test_managers_fulfil_and_refuse(api, world):
    first = _request(api, world, "mine_rep", "hoodie")
    second = _request(api, world, "mine_rep", "card")
    manager = api("manager")
    assert api("mine_admin").post(f"/api/v1/redemptions/{first}/fulfil").status_code == 403
    assert api("staff").post(f"/api/v1/redemptions/{first}/fulfil").status_code == 403
    done = manager.post(f"/api/v1/redemptions/{first}/fulfil", {"note": "Shipped"})
    assert done.status_code == 200 and done.json()["status"] == "fulfilled"
    again = manager.post(f"/api/v1/redemptions/{first}/refuse", {"reason": "x"})
    assert again.status_code == 409 and again.json()["error"]["current_state"] == "fulfilled"
    assert manager.post(f"/api/v1/redemptions/{second}/refuse", {}).status_code == 400
    refused = manager.post(f"/api/v1/redemptions/{second}/refuse", {"reason": "Out of codes"})
    assert refused.status_code == 200 and refused.json()["decision_note"] == "Out of codes"
    points = api("mine_rep").get("/api/v1/points/").json()
    assert points["balance"]["available"] == 800
    assert [row["entry_type"] for row in points["results"]][:1] == ["refund"]
    listed = manager.get("/api/v1/redemptions/", status="requested").json()
    assert listed["count"] == 0


def test_the_redemptions_list_has_a_fixed_query_count(api, world, django_assert_num_queries):
    for who in ("mine_rep", "mine_rep2", "other_rep"):
        _request(api, world, who)
    staff = api("staff")
    staff.get("/api/v1/redemptions/")
    with django_assert_num_queries(7):
        assert len(staff.get("/api/v1/redemptions/").json()["results"]) == 3
