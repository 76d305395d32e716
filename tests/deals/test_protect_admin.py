"""Extension requests in the tenant admin: read-only rows, approve and reject as actions on the services."""

from datetime import timedelta

import pytest

from deals.models import Deal, ExtensionRequest
from deals.services import deal_extension_request
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .protect_world import approved_deal, build_world

CHANGELIST = "/admin/deals/extensionrequest/"


@pytest.fixture
def w(tenant_a):
    world = build_world(tenant_a)
    world["second"] = approved_deal(world, days=3, customer_name="Second Deal Ltd")
    with tenant_context(tenant_a):
        for deal in (world["deal"], world["second"]):
            deal_extension_request(deal=deal, actor=world["rep"].user, reason=f"time for {deal.customer_name}")
        world["requests"] = list(ExtensionRequest.objects.order_by("pk"))
    return world


def statuses(tenant) -> list[str]:
    with tenant_context(tenant):
        return list(ExtensionRequest.objects.order_by("pk").values_list("status", flat=True))


def test_staff_see_requests_read_only_and_cannot_decide(tenant_a, w):
    client = portal_client(tenant_a, w["staff"].user)
    page = client.get(CHANGELIST).content.decode()
    assert "Second Deal Ltd" in page and 'value="approve"' not in page
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [r.pk for r in w["requests"]]})
    assert statuses(tenant_a) == ["pending", "pending"]
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_managers_approve_in_bulk(tenant_a, w):
    client = portal_client(tenant_a, w["manager"].user)
    response = client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [r.pk for r in w["requests"]]}, follow=True
    )
    assert "2 extensions approved." in response.content.decode()
    assert statuses(tenant_a) == ["approved", "approved"]
    with tenant_context(tenant_a):
        second = Deal.objects.get(pk=w["second"].pk)
    assert second.protected_until == w["second"].protected_until + timedelta(days=30)


def test_reject_asks_for_a_reason_first(tenant_a, w):
    client = portal_client(tenant_a, w["manager"].user)
    selected = {"action": "reject", "_selected_action": [w["requests"][0].pk]}
    page = client.post(CHANGELIST, selected).content.decode()
    assert "Reason (sent to the partner)" in page
    assert client.post(CHANGELIST, {**selected, "apply": "1", "reason": ""}).status_code == 200
    assert statuses(tenant_a) == ["pending", "pending"]
    response = client.post(CHANGELIST, {**selected, "apply": "1", "reason": "No budget"}, follow=True)
    assert "1 extension rejected." in response.content.decode()
    assert statuses(tenant_a) == ["rejected", "pending"]
