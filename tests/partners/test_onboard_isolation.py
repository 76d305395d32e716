"""Onboarding data across tenants (404, or 401 for another tenant's token) and across partners (404)."""

import pytest

from partners.selectors.agreements import agreement_current
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client
from tests.factories import MembershipFactory, issue_token, partner_member

from .onboard_world import onboarding_partner, program_with_checklist, step_of


@pytest.fixture
def world(tenant_a, tenant_b):
    program_a = program_with_checklist(tenant_a)
    partner_a = onboarding_partner(program_a, "Partner A")
    other_a = onboarding_partner(program_a, "Partner A2")
    program_b = program_with_checklist(tenant_b)
    partner_b = onboarding_partner(program_b, "Partner B")
    return {
        "program_b": program_b,
        "partner_a": partner_a,
        "other_a": other_a,
        "partner_b": partner_b,
        "manager_a": MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN),
        "manager_b": MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN),
        "rep_a": partner_member(partner_a, role=Role.PARTNER_REP),
    }


def test_tenant_b_onboarding_is_unreachable_from_tenant_a(tenant_a, tenant_b, world):
    partner_b = world["partner_b"]
    manual_b = step_of(partner_b, "manual")
    portal = portal_client(tenant_a, world["manager_a"].user)
    assert portal.get(f"/onboarding/partners/{partner_b.pk}/").status_code == 404
    for action in ("complete", "undo"):
        assert portal.post(f"/onboarding/partners/{partner_b.pk}/steps/{manual_b.pk}/{action}").status_code == 404
    assert "Partner B" not in portal.get("/onboarding/partners/").content.decode()
    api = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['manager_a'])}"}
    assert api.get(f"/api/v1/programs/{world['program_b'].pk}/", **auth).status_code == 404
    assert world["program_b"].pk not in [row["id"] for row in api.get("/api/v1/programs/", **auth).json()["results"]]
    assert (
        api.patch(
            f"/api/v1/programs/{world['program_b'].pk}/", {"name": "x"}, content_type="application/json", **auth
        ).status_code
        == 404
    )
    assert api.get(f"/api/v1/partners/{partner_b.pk}/onboarding", **auth).status_code == 404
    for action in ("complete", "undo"):
        url = f"/api/v1/partners/{partner_b.pk}/onboarding/steps/{manual_b.pk}/{action}"
        assert api.post(url, **auth).status_code == 404
    b_token = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['manager_b'])}"}
    assert api.get("/api/v1/programs/", **b_token).status_code == 401
    assert portal_client(tenant_b).get("/api/v1/programs/", **b_token, HTTP_HOST=host_of(tenant_b)).status_code == 200


def test_tenant_b_agreement_cannot_be_accepted_from_tenant_a(tenant_a, world):
    with tenant_context(world["program_b"].tenant):
        agreement_b = agreement_current(world["program_b"])
    admin_a = partner_member(world["partner_a"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(admin_a)}"}
    assert portal_client(tenant_a).post(f"/api/v1/agreements/{agreement_b.pk}/accept", **auth).status_code == 404
    page = portal_client(tenant_a, admin_a.user).post("/agreement/", {"agreement": agreement_b.pk})
    assert "not available" in page.content.decode()


def test_partner_users_see_only_their_own_onboarding(tenant_a, world):
    rep_a, other = world["rep_a"], world["other_a"]
    api = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(rep_a)}"}
    assert api.get(f"/api/v1/partners/{world['partner_a'].pk}/onboarding", **auth).status_code == 200
    assert api.get(f"/api/v1/partners/{other.pk}/onboarding", **auth).status_code == 404
    portal = portal_client(tenant_a, rep_a.user)
    page = portal.get("/onboarding/").content.decode()
    assert "Partner A" in page and "Partner A2" not in page
    assert portal.get(f"/onboarding/partners/{other.pk}/").status_code == 403
    # a step of one partner is not reachable under another partner's id
    manager = portal_client(tenant_a, world["manager_a"].user)
    foreign_step = step_of(other, "manual")
    url = f"/onboarding/partners/{world['partner_a'].pk}/steps/{foreign_step.pk}/complete"
    assert manager.post(url).status_code == 404
    manager_auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['manager_a'])}"}
    api_url = f"/api/v1/partners/{world['partner_a'].pk}/onboarding/steps/{foreign_step.pk}/complete"
    assert api.post(api_url, **manager_auth).status_code == 404
