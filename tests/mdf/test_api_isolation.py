"""Every MDF API route across tenants (the `# mdf: api` block of tests/test_isolation_matrix.py): another
tenant's ids are 404 for every method and change nothing, its lists hold none of them, and its tokens are 401.
Cross-partner checks within a tenant: tests/mdf/test_api_{funds,requests,claims,attachments}.py."""

import pytest

from mdf.models import Allocation, ClaimAttachment, MdfClaim, MdfRequest
from mdf.services import claim_attachment_add
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.factories import MembershipFactory, issue_token
from tests.mdf import proof_files
from tests.mdf.factories import MdfClaimFactory, MdfRequestFactory, mdf_world

from .api_world import mdf_api_world


def b_rows(tenant_b) -> dict:
    """Tenant B: a fund, an allocation, a submitted request, a draft claim with a file."""
    with tenant_context(tenant_b):
        world = mdf_world(tenant_b)
        request = MdfRequestFactory(tenant=tenant_b, allocation=world.allocation, status="submitted")
        claimed = MdfRequestFactory(tenant=tenant_b, allocation=world.allocation, activity_type=world.webinar)
        claim = MdfClaimFactory(tenant=tenant_b, request=claimed)
        attachment = claim_attachment_add(actor=None, claim=claim, kind="invoice", upload=proof_files.pdf())
    return {
        "fund": world.fund,
        "allocation": world.allocation,
        "activity_type": world.webinar,
        "request": request,
        "claim": claim,
        "attachment": attachment,
    }


@pytest.fixture
def b(tenant_b):
    return b_rows(tenant_b)


@pytest.fixture
def a(tenant_a):
    return mdf_api_world(tenant_a)


MANAGER, PARTNER = "manager", "a_rep"  # the role that may call the route, so a 404 is about the row


def _paths(b):
    fund, allocation, kind = b["fund"].pk, b["allocation"].pk, b["activity_type"].pk
    request, claim, attachment = b["request"].pk, b["claim"].pk, b["attachment"].pk
    return [
        (MANAGER, "get", f"/api/v1/mdf/funds/{fund}/"),
        (MANAGER, "post", f"/api/v1/mdf/funds/{fund}/move-budget/"),
        (MANAGER, "get", f"/api/v1/mdf/allocations/{allocation}/"),
        (MANAGER, "patch", f"/api/v1/mdf/allocations/{allocation}/"),
        (MANAGER, "get", f"/api/v1/mdf/activity-types/{kind}/"),
        (MANAGER, "get", f"/api/v1/mdf/requests/{request}/"),
        (PARTNER, "patch", f"/api/v1/mdf/requests/{request}/"),
        (PARTNER, "post", f"/api/v1/mdf/requests/{request}/submit/"),
        (MANAGER, "post", f"/api/v1/mdf/requests/{request}/approve/"),
        (MANAGER, "post", f"/api/v1/mdf/requests/{request}/reject/"),
        (MANAGER, "post", f"/api/v1/mdf/requests/{request}/return/"),
        (MANAGER, "get", f"/api/v1/mdf/claims/{claim}/"),
        (PARTNER, "patch", f"/api/v1/mdf/claims/{claim}/"),
        (PARTNER, "post", f"/api/v1/mdf/claims/{claim}/submit/"),
        (MANAGER, "post", f"/api/v1/mdf/claims/{claim}/approve/"),
        (MANAGER, "post", f"/api/v1/mdf/claims/{claim}/reject/"),
        (MANAGER, "post", f"/api/v1/mdf/claims/{claim}/return/"),
        (MANAGER, "post", f"/api/v1/mdf/claims/{claim}/extend/"),
        (MANAGER, "get", f"/api/v1/mdf/claims/{claim}/attachments/"),
        (PARTNER, "post", f"/api/v1/mdf/claims/{claim}/attachments/"),
        (MANAGER, "get", f"/api/v1/mdf/claims/{claim}/attachments/{attachment}/"),
        (PARTNER, "delete", f"/api/v1/mdf/claims/{claim}/attachments/{attachment}/"),
    ]


def _call(api, method, path):
    body = {"reason": "x", "amount": "1.00", "due_on": "2099-01-01", "title": "x", "notes": "x"}
    if path.endswith("/attachments/") and method == "post":
        return api.client.post(path, {"kind": "invoice", "file": proof_files.pdf()}, **api.auth)
    if method == "get":
        return api.get(path)
    if method == "delete":
        return api.client.delete(path, **api.auth)
    return getattr(api, method)(path, body)


def _b_unchanged(tenant_b, b) -> bool:
    with tenant_context(tenant_b):
        return (
            Allocation.objects.get(pk=b["allocation"].pk).amount == b["allocation"].amount
            and MdfRequest.objects.get(pk=b["request"].pk).status == "submitted"
            and MdfClaim.objects.get(pk=b["claim"].pk).status == "draft"
            and list(ClaimAttachment.objects.values_list("pk", flat=True)) == [b["attachment"].pk]
        )


def test_another_tenants_rows_are_404_on_every_route(a, b, tenant_a, tenant_b):
    for who, method, path in _paths(b):
        response = _call(Api(tenant_a, a[who]), method, path)
        assert response.status_code == 404, (who, method, path, response.status_code)
        assert response.json()["error"]["code"] == "not_found"
    staff = Api(tenant_a, a["staff"])
    for _who, method, path in _paths(b):
        if method == "get":
            assert staff.get(path).status_code == 404, path
    assert _b_unchanged(tenant_b, b)


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/api/v1/mdf/funds/", ["fund"]),
        ("/api/v1/mdf/allocations/", ["allocation"]),
        ("/api/v1/mdf/activity-types/", ["activity_type"]),
        ("/api/v1/mdf/requests/", ["request"]),
        ("/api/v1/mdf/claims/", ["claim"]),
    ],
)
def test_lists_hold_only_the_hosts_rows(a, b, tenant_a, path, keys):
    with tenant_context(tenant_a):
        MdfClaimFactory(tenant=tenant_a, request__allocation=a["world"].allocation, request__tenant=tenant_a)
    body = Api(tenant_a, a["staff"]).get(path).json()
    assert body["count"] >= 1  # the host's own rows are there, so the check below is not vacuous
    assert not {row["id"] for row in body["results"]} & {b[key].pk for key in keys}


def test_the_file_list_of_another_tenants_claim_is_404_with_a_claim_id_of_the_host(a, b, tenant_a):
    with tenant_context(tenant_a):
        mine = MdfClaimFactory(tenant=tenant_a, request__allocation=a["world"].allocation, request__tenant=tenant_a)
    rep = Api(tenant_a, a["a_rep"])
    assert rep.get(f"/api/v1/mdf/claims/{mine.pk}/attachments/").json() == []
    assert rep.get(f"/api/v1/mdf/claims/{mine.pk}/attachments/{b['attachment'].pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/mdf/funds/",
        "/api/v1/mdf/allocations/",
        "/api/v1/mdf/activity-types/",
        "/api/v1/mdf/requests/",
        "/api/v1/mdf/claims/",
    ],
)
def test_another_tenants_token_is_401(a, b, tenant_a, tenant_b, path):
    token = issue_token(MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN))
    assert portal_client(tenant_a).get(path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    b_claim = b["claim"].pk
    download = f"/api/v1/mdf/claims/{b_claim}/attachments/{b['attachment'].pk}/"
    response = portal_client(tenant_a).get(download, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert portal_client(tenant_a).get(path).status_code == 401
