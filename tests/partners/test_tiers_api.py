"""API: /tiers/, /tier-changes/, /partners/{id}/tier-progress and /partners/{id}/tier-pin."""

from datetime import date

import pytest

from partners.models import Tier, TierChange
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    ProgramFactory,
    TierCriterionFactory,
    TierFactory,
    issue_token,
    partner_member,
)


class Api:
    def __init__(self, tenant, membership):
        self.client = portal_client(tenant)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.auth)

    def post(self, path, data=None):
        return self.client.post(path, data or {}, content_type="application/json", **self.auth)

    def patch(self, path, data):
        return self.client.patch(path, data, content_type="application/json", **self.auth)

    def delete(self, path):
        return self.client.delete(path, **self.auth)


@pytest.fixture
def world(tenant_a, tenant_b):
    program = ProgramFactory(tenant=tenant_a)
    registered = TierFactory(program=program, rank=0, name="Registered")
    gold = TierFactory(program=program, rank=1, name="Gold", product_discount_pct=10, perks=["Beta access"])
    TierCriterionFactory(tier=gold, metric="active_reps", threshold=2)
    mine = PartnerFactory(program=program, tier=registered, name="Mine")
    theirs = PartnerFactory(program=program, tier=registered, name="Theirs")
    partner_member(mine, role=Role.PARTNER_REP)
    foreign_program = ProgramFactory(tenant=tenant_b)
    foreign_tier = TierFactory(program=foreign_program, rank=0)
    foreign = PartnerFactory(program=foreign_program, tier=foreign_tier)
    with tenant_context(tenant_a):
        pending = TierChange.objects.create(
            partner=theirs, from_tier=registered, to_tier=gold, kind="promotion", status="pending", reason="r"
        )
        applied = TierChange.objects.create(
            partner=mine, from_tier=None, to_tier=registered, kind="promotion", reason="placed"
        )
    with tenant_context(tenant_b):
        foreign_change = TierChange.objects.create(partner=foreign, to_tier=foreign_tier, kind="manual", reason="x")
    roles = {
        role: Api(tenant_a, MembershipFactory(tenant=tenant_a, role=role))
        for role in (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF)
    }
    roles["mine_admin"] = Api(tenant_a, partner_member(mine, role=Role.PARTNER_ADMIN))
    return {
        "program": program,
        "registered": registered,
        "gold": gold,
        "mine": mine,
        "theirs": theirs,
        "foreign": foreign,
        "pending": pending,
        "applied": applied,
        "foreign_change": foreign_change,
        "foreign_tier": foreign_tier,
        **roles,
    }


# --- /tiers/ ------------------------------------------------------------------------------------


def test_every_member_reads_tiers_with_criteria_and_benefits(world):
    body = world["mine_admin"].get("/api/v1/tiers/", program=world["program"].pk).json()
    assert body["count"] == 2
    gold = body["results"][1]
    assert gold["name"] == "Gold" and gold["criteria"] == [
        {"metric": "active_reps", "threshold": "2.00", "label": "Active sales reps"}
    ]
    assert gold["benefits"]["product_discount_pct"] == "10.00"
    assert (
        gold["benefits"]["perks"] == ["Beta access"]
        and gold["benefits"]["currency"] == world["program"].tenant.currency
    )


def test_tier_list_query_count_is_fixed(world, tenant_a, django_assert_num_queries):
    api = world[Role.VENDOR_STAFF]
    api.get("/api/v1/tiers/")
    # tenant, enter context, token, membership, count, page, criteria, leave context
    with django_assert_num_queries(8):
        api.get("/api/v1/tiers/")
    for rank in range(2, 8):
        TierCriterionFactory(tier=TierFactory(program=world["program"], rank=rank), metric="active_users")
    with django_assert_num_queries(8):
        assert api.get("/api/v1/tiers/").json()["count"] == 8


def test_tenant_admins_create_tiers_with_criteria(world, tenant_a):
    payload = {
        "program": world["program"].pk,
        "name": "Platinum",
        "rank": 2,
        "benefits": {"product_discount_pct": "20.00", "rebate_multiplier": "1.50", "perks": ["Event tickets"]},
        "criteria": [{"metric": "active_reps", "threshold": "5"}, {"metric": "days_since_joining", "threshold": 365}],
    }
    response = world[Role.TENANT_ADMIN].post("/api/v1/tiers/", payload)
    assert response.status_code == 201, response.json()
    with tenant_context(tenant_a):
        tier = Tier.objects.get(name="Platinum")
        assert {c.metric: str(c.threshold) for c in tier.criteria.all()} == {
            "active_reps": "5.00",
            "days_since_joining": "365.00",
        }
        assert str(tier.rebate_multiplier) == "1.50" and tier.perks == ["Event tickets"]
    assert world[Role.CHANNEL_MANAGER].post("/api/v1/tiers/", payload).status_code == 403


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"criteria": [{"metric": "no_such_metric", "threshold": 1}]}, 400, "criteria.0.metric"),
        ({"criteria": [{"metric": "active_reps", "threshold": -1}]}, 400, "criteria.0.threshold"),
        ({"benefits": {"product_discount_pct": "101"}}, 400, "benefits.product_discount_pct"),
        ({"rank": 1}, 409, "rank"),
        ({"name": "Gold"}, 409, "name"),
    ],
)
def test_bad_tiers_are_refused_with_a_clear_error(world, tenant_a, change, status, field):
    payload = {"program": world["program"].pk, "name": "New", "rank": 5, **change}
    response = world[Role.TENANT_ADMIN].post("/api/v1/tiers/", payload)
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert Tier.objects.count() == 2


def test_patch_replaces_the_criteria(world, tenant_a):
    path = f"/api/v1/tiers/{world['gold'].pk}/"
    response = world[Role.TENANT_ADMIN].patch(path, {"criteria": [{"metric": "active_users", "threshold": 3}]})
    assert response.status_code == 200
    assert [c["metric"] for c in response.json()["criteria"]] == ["active_users"]


def test_another_tenants_tier_is_404_and_its_program_refused(world):
    api = world[Role.TENANT_ADMIN]
    assert api.get(f"/api/v1/tiers/{world['foreign_tier'].pk}/").status_code == 404
    response = api.post("/api/v1/tiers/", {"program": world["foreign_tier"].program_id, "name": "X", "rank": 9})
    assert response.status_code == 400 and "program" in response.json()["error"]["fields"]


# --- /tier-changes/ -----------------------------------------------------------------------------------


def test_vendor_staff_see_all_changes_and_partner_users_their_own(world):
    staff = world[Role.VENDOR_STAFF].get("/api/v1/tier-changes/").json()
    assert {row["id"] for row in staff["results"]} == {world["pending"].pk, world["applied"].pk}
    own = world["mine_admin"].get("/api/v1/tier-changes/").json()
    assert [row["id"] for row in own["results"]] == [world["applied"].pk]
    assert world["mine_admin"].get(f"/api/v1/tier-changes/{world['pending'].pk}/").status_code == 404
    assert world[Role.VENDOR_STAFF].get(f"/api/v1/tier-changes/{world['foreign_change'].pk}/").status_code == 404
    filtered = world[Role.VENDOR_STAFF].get("/api/v1/tier-changes/", status="pending", kind="promotion").json()
    assert [row["id"] for row in filtered["results"]] == [world["pending"].pk]
    assert world[Role.VENDOR_STAFF].get("/api/v1/tier-changes/", status="nonsense").status_code == 400


def test_tier_change_list_query_count_is_fixed(world, tenant_a, django_assert_num_queries):
    api = world[Role.VENDOR_STAFF]
    api.get("/api/v1/tier-changes/")
    with django_assert_num_queries(7):
        api.get("/api/v1/tier-changes/")
    with tenant_context(tenant_a):
        for _ in range(5):
            TierChange.objects.create(partner=world["mine"], to_tier=world["gold"], kind="manual", reason="m")
    with django_assert_num_queries(7):
        assert api.get("/api/v1/tier-changes/").json()["count"] == 7


def test_managers_approve_pending_changes_once(world, tenant_a):
    path = f"/api/v1/tier-changes/{world['pending'].pk}/approve/"
    assert world["mine_admin"].post(path).status_code == 403
    assert world[Role.VENDOR_STAFF].post(path).status_code == 403
    response = world[Role.CHANNEL_MANAGER].post(path)
    assert response.status_code == 200 and response.json()["status"] == "applied"
    again = world[Role.CHANNEL_MANAGER].post(f"/api/v1/tier-changes/{world['pending'].pk}/reject/")
    assert again.status_code == 409 and again.json()["error"]["current_state"] == "applied"
    with tenant_context(tenant_a):
        world["theirs"].refresh_from_db()
        assert world["theirs"].tier_id == world["gold"].pk
    foreign = world[Role.CHANNEL_MANAGER].post(f"/api/v1/tier-changes/{world['foreign_change'].pk}/approve/")
    assert foreign.status_code == 404


# --- /partners/{id}/tier-progress ---------------------------------------------------------------------


def test_partner_users_see_their_own_tier_progress_only(world):
    response = world["mine_admin"].get(f"/api/v1/partners/{world['mine'].pk}/tier-progress")
    assert response.status_code == 200
    body = response.json()
    assert body["current_tier"]["name"] == "Registered" and body["next_tier"]["name"] == "Gold"
    assert body["next_criteria"] == [
        {
            "metric": "active_reps",
            "label": "Active sales reps",
            "value": "1.00",
            "threshold": "2.00",
            "missing": "1.00",
            "met": False,
        }
    ]
    assert body["qualifies_for"] == world["registered"].pk and body["pending_change"] is None
    assert world["mine_admin"].get(f"/api/v1/partners/{world['theirs'].pk}/tier-progress").status_code == 404


def test_vendor_staff_see_any_partners_progress_of_their_tenant(world):
    staff = world[Role.VENDOR_STAFF]
    body = staff.get(f"/api/v1/partners/{world['theirs'].pk}/tier-progress").json()
    assert body["pending_change"] == world["pending"].pk
    assert staff.get(f"/api/v1/partners/{world['foreign'].pk}/tier-progress").status_code == 404


# --- /partners/{id}/tier-pin -------------------------------------------------------------------------


def test_managers_pin_and_unpin(world, tenant_a):
    path = f"/api/v1/partners/{world['mine'].pk}/tier-pin"
    payload = {"tier": world["gold"].pk, "until": "2099-12-31", "reason": "Strategic launch partner"}
    assert world["mine_admin"].post(path, payload).status_code == 403
    response = world[Role.CHANNEL_MANAGER].post(path, payload)
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["to_tier_name"]) == ("manual", "Gold")
    with tenant_context(tenant_a):
        world["mine"].refresh_from_db()
        assert (world["mine"].tier_id, world["mine"].tier_pinned_until) == (world["gold"].pk, date(2099, 12, 31))
    assert world[Role.CHANNEL_MANAGER].delete(path).status_code == 204
    second = world[Role.CHANNEL_MANAGER].delete(path)
    assert second.status_code == 409 and second.json()["error"]["current_state"] == "unpinned"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"until": "2099-01-01", "reason": "x"}, "tier"),
        ({"tier": "foreign", "until": "2099-01-01", "reason": "x"}, "tier"),
        ({"tier": "gold", "until": "2001-01-01", "reason": "x"}, "until"),
        ({"tier": "gold", "until": "2099-01-01", "reason": ""}, "reason"),
    ],
)
def test_bad_pins_are_refused_and_change_nothing(world, tenant_a, payload, field):
    if "tier" in payload:
        payload["tier"] = world[{"gold": "gold", "foreign": "foreign_tier"}[payload["tier"]]].pk
    response = world[Role.CHANNEL_MANAGER].post(f"/api/v1/partners/{world['mine'].pk}/tier-pin", payload)
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        world["mine"].refresh_from_db()
        assert world["mine"].tier_pinned_until is None


def test_pinning_another_tenants_partner_is_404(world):
    response = world[Role.CHANNEL_MANAGER].post(
        f"/api/v1/partners/{world['foreign'].pk}/tier-pin",
        {"tier": world["gold"].pk, "until": "2099-01-01", "reason": "x"},
    )
    assert response.status_code == 404
