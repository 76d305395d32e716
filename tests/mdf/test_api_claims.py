"""/api/v1/mdf/claims/: the state machine through the API, Idempotency-Key on create, the detail (proof files,
missing proof, reimbursement), extensions, who may do what, filters and the list's queries."""

import datetime
from decimal import Decimal

import pytest

from incentives.models import EntryType, LedgerEntry
from mdf.models import MdfClaim
from prm.tenancy.context import tenant_context
from tests.mdf import proof_files
from tests.mdf.factories import MdfClaimFactory, MdfRequestFactory

from .api_world import clients, mdf_api_world


@pytest.fixture
def people(tenant_a):
    return mdf_api_world(tenant_a)


@pytest.fixture
def api(tenant_a, people):
    return clients(tenant_a, people)


@pytest.fixture
def approved(people, tenant_a):
    """Partner A's webinar request, approved for 1,000."""
    world = people["world"]
    with tenant_context(tenant_a):
        return MdfRequestFactory(tenant=tenant_a, allocation=world.allocation, activity_type=world.webinar)


def upload(api, claim_id, kind, file):
    return api.client.post(f"/api/v1/mdf/claims/{claim_id}/attachments/", {"kind": kind, "file": file}, **api.auth)


def test_partner_claims_submits_and_a_manager_approves_in_part(api, people, approved, tenant_a):
    body = {"request": approved.pk, "actual_cost": "1800.00", "amount": "900.00", "notes": "Invoice attached."}
    created = api["a_rep"].post("/api/v1/mdf/claims/", body)
    assert created.status_code == 201, created.json()
    claim = created.json()
    assert (claim["status"], claim["amount"], claim["currency"], claim["partner"]["id"]) == (
        "draft", "900.00", "USD", people["world"].partner.pk,
    )  # fmt: skip
    assert claim["request"]["campaign_code"] == approved.campaign_code
    assert claim["request"]["activity_type"]["key"] == "webinar"
    assert claim["due_on"] == str(approved.ends_on + datetime.timedelta(days=60))
    assert (claim["attachments"], claim["missing_proof"], claim["reimbursement"]) == ([], ["invoice"], None)
    pk = claim["id"]

    nothing = api["a_rep"].post(f"/api/v1/mdf/claims/{pk}/submit/")
    assert nothing.status_code == 400 and "attachments" in nothing.json()["error"]["fields"]
    assert upload(api["a_rep"], pk, "invoice", proof_files.pdf()).status_code == 201
    over_share = api["a_admin"].patch(f"/api/v1/mdf/claims/{pk}/", {"amount": "950.00"})  # 50 % of 1,800 = 900
    assert over_share.status_code == 400 and "900.00 USD" in over_share.json()["error"]["message"]
    changed = api["a_admin"].patch(f"/api/v1/mdf/claims/{pk}/", {"actual_cost": "1900.00", "amount": "950.00"})
    assert changed.status_code == 200 and changed.json()["amount"] == "950.00"
    detail = api["a_admin"].get(f"/api/v1/mdf/claims/{pk}/").json()
    assert detail["missing_proof"] == [] and [a["kind"] for a in detail["attachments"]] == ["invoice"]
    submitted = api["a_rep"].post(f"/api/v1/mdf/claims/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    partial = api["manager"].post(f"/api/v1/mdf/claims/{pk}/approve/", {"amount": "850.00"})
    assert partial.status_code == 400 and "reason" in partial.json()["error"]["fields"]
    decided = api["manager"].post(
        f"/api/v1/mdf/claims/{pk}/approve/", {"amount": "850.00", "reason": "Catering is not covered."}
    )
    assert decided.status_code == 200
    decided = decided.json()
    assert (decided["status"], decided["approved_amount"]) == ("partially_approved", "850.00")
    with tenant_context(tenant_a):
        entry = LedgerEntry.objects.get(entry_type=EntryType.REIMBURSEMENT)
    assert decided["reimbursement"] == entry.pk and entry.amount == Decimal("850.00")
    twice = api["manager"].post(f"/api/v1/mdf/claims/{pk}/approve/")
    assert twice.status_code == 409 and twice.json()["error"]["current_state"] == "partially_approved"
    locked = api["a_rep"].patch(f"/api/v1/mdf/claims/{pk}/", {"notes": "late"})
    assert locked.status_code == 409 and locked.json()["error"]["current_state"] == "partially_approved"


def test_a_claim_with_an_idempotency_key_is_made_once(api, approved, tenant_a):
    rep = api["a_rep"]
    body = {"request": approved.pk, "actual_cost": "2000.00", "amount": "1000.00"}
    first = rep.post("/api/v1/mdf/claims/", body, HTTP_IDEMPOTENCY_KEY="claim-1")
    assert first.status_code == 201, first.json()
    again = rep.post("/api/v1/mdf/claims/", body, HTTP_IDEMPOTENCY_KEY="claim-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = rep.post("/api/v1/mdf/claims/", {**body, "amount": "999.00"}, HTTP_IDEMPOTENCY_KEY="claim-1")
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"
    without_key = rep.post("/api/v1/mdf/claims/", body)  # a new claim of the same request: one per request
    assert without_key.status_code == 409 and without_key.json()["error"]["current_state"] == "claimed"
    with tenant_context(tenant_a):
        assert MdfClaim.objects.count() == 1


def test_a_failed_claim_leaves_its_key_free(api, approved, tenant_a):
    rep = api["a_rep"]
    too_much = rep.post(
        "/api/v1/mdf/claims/",
        {"request": approved.pk, "actual_cost": "1000.00", "amount": "600.00"},  # 50 % of 1,000 = 500
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["error"]["fields"]
    fixed = rep.post(
        "/api/v1/mdf/claims/",
        {"request": approved.pk, "actual_cost": "1000.00", "amount": "500.00"},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert fixed.status_code == 201


def test_claim_input_is_limited_to_the_partners_own_approved_requests(api, people, approved, tenant_a):
    with tenant_context(tenant_a):
        theirs = MdfRequestFactory(tenant=tenant_a, allocation=people["allocation_b"])
        pending = MdfRequestFactory(tenant=tenant_a, allocation=people["world"].allocation, status="submitted")
    body = {"actual_cost": "100.00", "amount": "50.00"}
    foreign = api["a_rep"].post("/api/v1/mdf/claims/", {**body, "request": theirs.pk})
    assert foreign.status_code == 400 and "request" in foreign.json()["error"]["fields"]
    not_approved = api["a_rep"].post("/api/v1/mdf/claims/", {**body, "request": pending.pk})
    assert not_approved.status_code == 409 and not_approved.json()["error"]["current_state"] == "submitted"
    assert api["a_rep"].post("/api/v1/mdf/claims/", {**body, "request": approved.pk, "amount": "0"}).status_code == 400
    for who in ("manager", "staff"):
        assert api[who].post("/api/v1/mdf/claims/", {**body, "request": approved.pk}).status_code == 403
    with tenant_context(tenant_a):
        assert not MdfClaim.objects.exists()


def _submitted(tenant, approved, **kwargs):
    with tenant_context(tenant):
        return MdfClaimFactory(tenant=tenant, request=approved, status="submitted", **kwargs)


def test_managers_reject_return_and_extend(api, approved, tenant_a):
    claim = _submitted(tenant_a, approved)
    no_reason = api["manager"].post(f"/api/v1/mdf/claims/{claim.pk}/return/", {"reason": " "})
    assert no_reason.status_code == 400
    returned = api["manager"].post(f"/api/v1/mdf/claims/{claim.pk}/return/", {"reason": "Add the photos."})
    assert returned.json()["status"] == "returned" and returned.json()["decision_reason"] == "Add the photos."

    later = str(claim.due_on + datetime.timedelta(days=30))
    extended = api["tenant_admin"].post(f"/api/v1/mdf/claims/{claim.pk}/extend/", {"due_on": later, "reason": "Fair"})
    assert extended.status_code == 200 and extended.json()["due_on"] == later
    earlier = api["manager"].post(f"/api/v1/mdf/claims/{claim.pk}/extend/", {"due_on": "2020-01-01", "reason": "x"})
    assert earlier.status_code == 400 and "due_on" in earlier.json()["error"]["fields"]
    assert api["a_admin"].post(f"/api/v1/mdf/claims/{claim.pk}/extend/", {"due_on": later}).status_code == 403

    upload(api["a_rep"], claim.pk, "invoice", proof_files.pdf())
    api["a_rep"].post(f"/api/v1/mdf/claims/{claim.pk}/submit/")
    rejected = api["manager"].post(f"/api/v1/mdf/claims/{claim.pk}/reject/", {"reason": "Not held."})
    assert rejected.json()["status"] == "rejected"
    after = api["manager"].post(f"/api/v1/mdf/claims/{claim.pk}/extend/", {"due_on": "2099-01-01", "reason": "x"})
    assert after.status_code == 409 and after.json()["error"]["current_state"] == "rejected"


def test_a_closed_window_is_a_409(api, approved, tenant_a):
    with tenant_context(tenant_a):
        claim = MdfClaimFactory(tenant=tenant_a, request=approved, due_on=datetime.date.today() - datetime.timedelta(1))
    upload(api["a_rep"], claim.pk, "invoice", proof_files.pdf())
    response = api["a_rep"].post(f"/api/v1/mdf/claims/{claim.pk}/submit/")
    assert response.status_code == 409 and response.json()["error"]["current_state"] == "window_closed"


def test_who_may_do_what(api, people, approved, tenant_a):
    claim = _submitted(tenant_a, approved)
    for who in ("a_admin", "a_rep", "b_admin", "staff"):
        for action in ("approve", "reject", "return"):
            response = api[who].post(f"/api/v1/mdf/claims/{claim.pk}/{action}/", {"reason": "x"})
            assert response.status_code == 403, (who, action)
    for who in ("manager", "staff"):
        assert api[who].post(f"/api/v1/mdf/claims/{claim.pk}/submit/").status_code == 403
        assert api[who].patch(f"/api/v1/mdf/claims/{claim.pk}/", {"notes": "x"}).status_code == 403
    for method, path in (
        ("get", f"/api/v1/mdf/claims/{claim.pk}/"),
        ("patch", f"/api/v1/mdf/claims/{claim.pk}/"),
        ("post", f"/api/v1/mdf/claims/{claim.pk}/submit/"),
    ):
        response = getattr(api["b_admin"], method)(path, {}) if method != "get" else api["b_admin"].get(path)
        assert response.status_code == 404, (method, path)
    with tenant_context(tenant_a):
        assert MdfClaim.objects.get(pk=claim.pk).status == "submitted"


def test_list_filters(api, people, approved, tenant_a):
    world = people["world"]
    mine = _submitted(tenant_a, approved)
    with tenant_context(tenant_a):
        draft = MdfClaimFactory(tenant=tenant_a, request__allocation=world.allocation, request__tenant=tenant_a)
        theirs = MdfClaimFactory(tenant=tenant_a, request__allocation=people["allocation_b"], request__tenant=tenant_a)

    def ids(who, **params):
        return {row["id"] for row in api[who].get("/api/v1/mdf/claims/", **params).json()["results"]}

    assert ids("a_rep") == {mine.pk, draft.pk}
    assert ids("b_admin") == {theirs.pk}
    assert ids("staff") == {mine.pk, draft.pk, theirs.pk}
    assert ids("staff", status="submitted") == {mine.pk}
    assert ids("staff", partner=people["partner_b"].pk) == {theirs.pk}
    assert ids("staff", fund=world.fund.pk) == {mine.pk, draft.pk, theirs.pk}
    assert ids("staff", request=approved.pk) == {mine.pk}
    assert api["staff"].get("/api/v1/mdf/claims/", status="won").status_code == 400


def test_the_claim_list_has_a_fixed_query_count(api, people, tenant_a, django_assert_num_queries):
    world = people["world"]
    staff = api["staff"]

    def add(count):
        with tenant_context(tenant_a):
            for _ in range(count):
                MdfClaimFactory(tenant=tenant_a, request__allocation=world.allocation, request__tenant=tenant_a)

    add(1)
    staff.get("/api/v1/mdf/claims/")
    # host → tenant, context, token, membership, count, page (request, type, allocation, fund, partner), leave
    with django_assert_num_queries(7):
        staff.get("/api/v1/mdf/claims/")
    add(4)
    with django_assert_num_queries(7):
        assert len(staff.get("/api/v1/mdf/claims/").json()["results"]) == 5
