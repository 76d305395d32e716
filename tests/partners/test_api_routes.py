"""Action routes answer as api.md writes them (`/partners/{id}/suspend`) and with a trailing slash."""

import json

import pytest

from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import MembershipFactory, PartnerFactory, issue_token


@pytest.mark.parametrize("suffix", ["", "/"])
def test_transition_actions_accept_both_forms(tenant_a, suffix):
    partner = PartnerFactory(program__tenant=tenant_a, status="active")
    token = issue_token(MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER))
    response = portal_client(tenant_a).post(
        f"/api/v1/partners/{partner.pk}/suspend{suffix}",
        json.dumps({"reason": "Unpaid invoices"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    with tenant_context(tenant_a):
        partner.refresh_from_db()
    assert partner.status == "suspended"
