"""The rewards catalog and redemptions in the tenant admin: saving through the services (tiers from the tenant),
fulfil and refuse as actions (refusal asks for a reason and refunds)."""

import pytest

from incentives.models import LedgerEntry, Redemption, Reward
from incentives.services import redemption_request
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .points_world import points_world

REWARDS = "/admin/incentives/reward/"
REDEMPTIONS = "/admin/incentives/redemption/"


@pytest.fixture
def world(tenant_a):
    world = points_world(tenant_a)
    with tenant_context(tenant_a):
        world["requests"] = [
            redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world[name])
            for name in ("card", "hoodie")
        ]
    return world


def _statuses(tenant):
    with tenant_context(tenant):
        return list(Redemption.objects.order_by("pk").values_list("status", flat=True))


def test_managers_add_rewards_with_tiers_and_staff_only_look(tenant_a, world):
    manager = portal_client(tenant_a, world["manager"].user)
    form = manager.get(f"{REWARDS}add/").content.decode()
    assert "Gold" in form and "Silver" in form
    data = {"name": "Backpack", "kind": "swag", "points_cost": "700", "stock": "3", "position": "0", "is_active": "on"}
    response = manager.post(f"{REWARDS}add/", {**data, "eligible_tier_ids": [world["gold"].pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        backpack = Reward.objects.get(name="Backpack")
    assert (backpack.eligible_tier_ids, backpack.stock) == ([world["gold"].pk], 3)
    page = manager.get(REWARDS).content.decode()
    assert "Backpack" in page and "every tier" in page
    bad = manager.post(f"{REWARDS}add/", {**data, "name": "Zero", "points_cost": "0"})
    assert bad.status_code == 200
    staff = portal_client(tenant_a, world["staff"].user)
    assert "Backpack" in staff.get(REWARDS).content.decode()
    assert staff.get(f"{REWARDS}add/").status_code == 403
    assert manager.get(f"{REWARDS}{backpack.pk}/delete/").status_code == 403


def test_managers_fulfil_and_refuse_with_a_reason(tenant_a, world):
    client = portal_client(tenant_a, world["manager"].user)
    first, second = world["requests"]
    response = client.post(REDEMPTIONS, {"action": "fulfil", "_selected_action": [first.pk]}, follow=True)
    assert "1 redemption fulfilled." in response.content.decode()
    selected = {"action": "refuse", "_selected_action": [first.pk, second.pk]}
    assert "Reason (sent to the requester)" in client.post(REDEMPTIONS, selected).content.decode()
    response = client.post(REDEMPTIONS, {**selected, "apply": "1", "reason": "Out of stock"}, follow=True)
    page = response.content.decode()
    assert "1 redemption refused." in page and "already fulfilled" in page
    assert _statuses(tenant_a) == ["fulfilled", "refused"]
    with tenant_context(tenant_a):
        assert LedgerEntry.objects.filter(entry_type="refund").count() == 1


def test_staff_cannot_decide(tenant_a, world):
    client = portal_client(tenant_a, world["staff"].user)
    assert 'value="fulfil"' not in client.get(REDEMPTIONS).content.decode()
    client.post(REDEMPTIONS, {"action": "fulfil", "_selected_action": [world["requests"][0].pk]})
    assert _statuses(tenant_a) == ["requested", "requested"]
