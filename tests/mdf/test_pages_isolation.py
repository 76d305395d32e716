"""Who reaches which MDF page: another tenant's rows are a 404 on every object route (the isolation matrix's
`# mdf: portal` block points here), another partner's too; the review actions are for managers only (vendor
staff read, 403 on POST) and the partner's actions for the partner's users only."""

import pytest

from mdf.models import ClaimAttachment, MdfClaim, MdfRequest
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client

from . import proof_files
from .pages_support import client_of, html_of, ids, pages_world

FUND = [("get", "/mdf/funds/{fund}/")]  # partners share funds: only the tenant bounds it
READ = [
    ("get", "/mdf/requests/{request}/"),
    ("get", "/mdf/claims/{claim}/"),
    ("get", "/mdf/attachments/{attachment}/download"),
]
PARTNER_ACTIONS = [
    ("get", "/mdf/requests/{request}/edit"),
    ("post", "/mdf/requests/{request}/edit"),
    ("post", "/mdf/requests/{request}/submit"),
    ("post", "/mdf/requests/{request}/claim"),
    ("post", "/mdf/claims/{claim}/edit"),
    ("post", "/mdf/claims/{claim}/attachments"),
    ("post", "/mdf/claims/{claim}/submit"),
    ("post", "/mdf/attachments/{attachment}/remove"),
]
MANAGER_ACTIONS = [
    ("post", "/mdf/requests/{request}/approve"),
    ("post", "/mdf/requests/{request}/reject"),
    ("post", "/mdf/requests/{request}/return"),
    ("post", "/mdf/claims/{claim}/approve"),
    ("post", "/mdf/claims/{claim}/reject"),
    ("post", "/mdf/claims/{claim}/return"),
    ("post", "/mdf/claims/{claim}/extend"),
]
MEMBER_PAGES = ["/mdf/", "/mdf/review/", "/mdf/requests/new", "/mdf/funds/"]


def body(path: str) -> dict:
    """A payload every form of the route accepts, so only the access decides the answer."""
    data = {"reason": "Because.", "amount": "1.00", "actual_cost": "10.00", "due_on": "2099-01-01"}
    if path.endswith("/attachments"):
        data |= {"kind": "invoice", "file": proof_files.pdf()}
    return data


def call(client, method: str, path: str, rows: dict):
    url = path.format(**rows)
    return client.get(url) if method == "get" else client.post(url, body(path))


def rows_of(request, claim, attachment) -> dict:
    fund = request.allocation.fund_id
    return {"fund": fund, "request": request.pk, "claim": claim.pk, "attachment": attachment.pk}


@pytest.fixture
def worlds(tenant_a, tenant_b):
    return pages_world(tenant_a), pages_world(tenant_b)


def _snapshot(world):
    with tenant_context(world.tenant):
        return (
            list(MdfRequest.objects.order_by("pk").values_list("pk", "status", "approved_amount")),
            list(MdfClaim.objects.order_by("pk").values_list("pk", "status", "amount", "due_on")),
            list(ClaimAttachment.objects.order_by("pk").values_list("pk", flat=True)),
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), FUND + READ + PARTNER_ACTIONS + MANAGER_ACTIONS)
def test_another_tenants_rows_are_404_on_every_object_route(worlds, method, path):
    a, b = worlds
    before = _snapshot(b)
    b_rows = rows_of(b.rival_request, b.rival_claim, b.rival_attachment)
    actor = a.manager if (method, path) in MANAGER_ACTIONS else a.mdf.admin
    assert call(client_of(a, actor), method, path, b_rows).status_code == 404
    assert _snapshot(b) == before


@pytest.mark.django_db
@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_mdf_pages_refuse_a_session_from_another_tenant(worlds, path):
    a, b = worlds
    response = client_of(a, a.manager).get(path, HTTP_HOST=host_of(b.tenant))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_lists_show_only_the_hosts_rows(worlds):
    a, b = worlds
    overview = html_of(client_of(a, a.manager).get("/mdf/"))
    with tenant_context(b.tenant):
        b_allocations = set(b.rival_request.allocation.fund.allocations.values_list("pk", flat=True))
    assert ids(overview, "fund") == {a.mdf.fund.pk}
    assert not ids(overview, "allocation") & b_allocations and len(ids(overview, "allocation")) == 2
    with tenant_context(b.tenant):
        MdfRequest.objects.filter(pk=b.rival_request.pk).update(status="submitted")
    with tenant_context(a.tenant):
        MdfRequest.objects.filter(pk=a.rival_request.pk).update(status="submitted")
    queue = html_of(client_of(a, a.manager).get("/mdf/review/"))
    assert ids(queue, "request") == {a.rival_request.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), READ + PARTNER_ACTIONS)
@pytest.mark.parametrize("who", ["admin", "rep"])
def test_another_partners_rows_are_404(tenant_a, method, path, who):
    world = pages_world(tenant_a)
    before = _snapshot(world)
    member = world.mdf.admin if who == "admin" else world.rep
    rival = rows_of(world.rival_request, world.rival_claim, world.rival_attachment)
    assert call(client_of(world, member), method, path, rival).status_code == 404
    assert _snapshot(world) == before


@pytest.mark.django_db
def test_a_partner_sees_only_its_own_rows_on_the_home_page(tenant_a):
    world = pages_world(tenant_a)
    html = html_of(client_of(world, world.rep).get("/mdf/"))
    assert ids(html, "allocation") == {world.mdf.allocation.pk}
    assert world.rival_request.pk not in ids(html, "request") and "Rival" not in html
    assert ids(html_of(client_of(world, world.rival_admin).get("/mdf/")), "request") == {world.rival_request.pk}


@pytest.mark.django_db
def test_vendor_staff_read_but_cannot_act(tenant_a):
    world = pages_world(tenant_a)
    staff = client_of(world, world.staff)
    rows = rows_of(world.rival_request, world.rival_claim, world.rival_attachment)
    before = _snapshot(world)
    for method, path in READ:
        assert call(staff, method, path, rows).status_code == 200, path
    html = html_of(staff.get(f"/mdf/claims/{world.rival_claim.pk}/"))
    assert 'id="decide"' not in html and 'id="upload"' not in html
    for method, path in PARTNER_ACTIONS + MANAGER_ACTIONS:
        assert call(staff, method, path, rows).status_code == 403, path
    assert staff.get("/mdf/requests/new").status_code == 403
    assert _snapshot(world) == before


@pytest.mark.django_db
def test_partners_cannot_take_the_managers_decisions(tenant_a):
    world = pages_world(tenant_a)
    own = portal_client(tenant_a, world.rival_admin.user)
    rows = rows_of(world.rival_request, world.rival_claim, world.rival_attachment)
    before = _snapshot(world)
    for method, path in MANAGER_ACTIONS:
        assert call(own, method, path, rows).status_code == 403, path
    assert portal_client(tenant_a, world.rival_admin.user).get("/mdf/review/").status_code == 403
    assert _snapshot(world) == before
