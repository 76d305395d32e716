"""MDF in the tenant admin: funds made through `fund_create`, allocations through `allocation_set` (the budget
holds), activity types, requests and claims decided through the services (bulk and one at a time), proof files
downloaded as attachments; another tenant's rows are 404 everywhere (also in tests/test_isolation_matrix.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incentives.models import EntryType, LedgerEntry
from mdf.models import ActivityType, Allocation, Fund, MdfClaim, MdfClaimStatus, MdfRequestStatus
from mdf.services import claim_attachment_add, fund_allocated, mdf_claim_submit
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, UserFactory
from tests.mdf import proof_files
from tests.mdf.factories import AllocationFactory, FundFactory, MdfClaimFactory, MdfRequestFactory, mdf_world

D = Decimal
FUNDS, ALLOCATIONS, TYPES = "/admin/mdf/fund/", "/admin/mdf/allocation/", "/admin/mdf/activitytype/"
REQUESTS, CLAIMS = "/admin/mdf/mdfrequest/", "/admin/mdf/mdfclaim/"
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        world = mdf_world(tenant_a)
        world.manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
        world.staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    return world


def _request(world, **values):
    with tenant_context(world.tenant):
        return MdfRequestFactory(
            tenant=world.tenant, allocation=world.allocation, activity_type=world.webinar, **values
        )


def _submitted_claim(world, amount="500.00"):
    """A submitted claim of a new approved request (500 of 1,000 claimed), with its invoice."""
    with tenant_context(world.tenant):
        request = MdfRequestFactory(tenant=world.tenant, allocation=world.allocation, activity_type=world.webinar)
        claim = MdfClaimFactory(tenant=world.tenant, request=request, amount=D(amount))
        claim_attachment_add(actor=world.admin.user, claim=claim, kind="invoice", upload=proof_files.pdf("inv.pdf"))
        return mdf_claim_submit(actor=world.admin.user, claim=claim)


def action(client, url, name, objects, **data):
    return client.post(url, {"action": name, "_selected_action": [o.pk for o in objects], **data})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- lists ---------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_changelists_show_the_figures_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = portal_client(world.tenant, world.staff.user)
    _submitted_claim(world)
    with tenant_context(world.tenant):
        other = PartnerFactory(tenant=world.tenant, program=world.tier.program, name="Second Partner")
        AllocationFactory(tenant=world.tenant, fund=world.fund, partner=other, amount=D("1500.00"))
    fund_page = client.get(FUNDS).content.decode()
    assert "4500.00" in fund_page and "5500.00" in fund_page  # allocated, left to allocate of 10,000
    page = client.get(ALLOCATIONS).content.decode()
    # 3,000: 500 requested (not claimed), 500 claimed, 2,000 available
    assert all(figure in page for figure in ("3000.00", "500.00", "2000.00", "Second Partner"))
    assert "Event / booth" in client.get(TYPES).content.decode()
    assert "Webinar" in client.get(REQUESTS).content.decode()
    assert "inv.pdf" not in client.get(CLAIMS).content.decode()

    counts = {url: _queries(client, url) for url in (FUNDS, ALLOCATIONS, TYPES, REQUESTS, CLAIMS)}
    for _ in range(3):  # more rows, same queries
        _submitted_claim(world)
        with tenant_context(world.tenant):
            partner = PartnerFactory(tenant=world.tenant, program=world.tier.program)
            AllocationFactory(tenant=world.tenant, fund=world.fund, partner=partner, amount=D("10.00"))
    for url, count in counts.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    assert counts == {FUNDS: 12, ALLOCATIONS: 12, TYPES: 9, REQUESTS: 13, CLAIMS: 12}


# --- funds and allocations -----------------------------------------------------------------------------------
FUND = {
    "name": "FY27 Q1",
    "scheme": "quarter",
    "starts_on": "2027-01-01",
    "ends_on": "2027-03-31",
    "budget": "50000.00",
    "currency": "USD",
    "expiry_days_after_end": "60",
    "claim_window_days": "60",
    "review_sla_business_days": "2",
    "allocate_by_tier": "on",
}


@pytest.mark.django_db
def test_a_fund_is_made_through_the_service_and_its_errors_are_shown(world):
    client = portal_client(world.tenant, world.manager.user)
    bad = client.post(f"{FUNDS}add/", {**FUND, "ends_on": "2026-12-31"})
    assert bad.status_code == 200 and "The period cannot end before it starts." in bad.content.decode()
    bad = client.post(f"{FUNDS}add/", {**FUND, "currency": "ZZZ"})
    assert bad.status_code == 200 and "is not an ISO 4217 currency code" in bad.content.decode()
    with tenant_context(world.tenant):
        assert not Fund.objects.filter(name="FY27 Q1").exists()
    assert client.post(f"{FUNDS}add/", FUND).status_code == 302
    assert "A fund with this name exists already." in client.post(f"{FUNDS}add/", FUND).content.decode()
    with tenant_context(world.tenant):
        fund = Fund.objects.get(name="FY27 Q1")
        assert AuditEvent.objects.filter(action="mdf.fund_create", object_id=str(fund.pk)).exists()
    page = client.get(f"{FUNDS}{fund.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # settings are set when the fund is made
    staff = portal_client(world.tenant, world.staff.user)
    assert staff.get(f"{FUNDS}add/").status_code == 403


@pytest.mark.django_db
def test_unallocated_budget_is_moved_to_another_fund_on_its_page(world):
    with tenant_context(world.tenant):
        target = FundFactory(tenant=world.tenant, name="Next quarter", budget=D("0.00"))
        left = world.fund.budget - fund_allocated(world.fund)
    client = portal_client(world.tenant, world.manager.user)
    url = f"{FUNDS}{world.fund.pk}/decide/move-budget/"
    assert url in client.get(f"{FUNDS}{world.fund.pk}/change/").content.decode()
    too_much = client.post(url, {"target": target.pk, "amount": str(left + D("0.01")), "reason": "Roll over"})
    assert too_much.status_code == 200 and "left to allocate" in too_much.content.decode()
    assert client.post(url, {"target": target.pk, "amount": str(left), "reason": "Roll over"}).status_code == 302
    with tenant_context(world.tenant):
        target.refresh_from_db()
        assert target.budget == left
    staff = portal_client(world.tenant, world.staff.user)
    assert staff.post(url, {"target": target.pk, "amount": "1.00", "reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_allocate_tier_benefits_now(world):
    with tenant_context(world.tenant):
        world.tier.mdf_allocation_per_quarter = D("2500.00")
        world.tier.save()
    client = portal_client(world.tenant, world.manager.user)
    assert action(client, FUNDS, "allocate_by_tier", [world.fund]).status_code == 302
    action(client, FUNDS, "allocate_by_tier", [world.fund])  # a rerun adds nothing
    with tenant_context(world.tenant):
        tier = Allocation.objects.get(source="tier")
    assert (tier.partner_id, tier.amount) == (world.partner.pk, D("2500.00"))


@pytest.mark.django_db
def test_allocations_are_given_through_the_service_and_never_pass_the_budget(world):
    client = portal_client(world.tenant, world.manager.user)
    with tenant_context(world.tenant):
        other = PartnerFactory(tenant=world.tenant, program=world.tier.program)
    values = {"fund": world.fund.pk, "partner": other.pk, "source": "manual", "note": "Launch"}
    over = client.post(f"{ALLOCATIONS}add/", {**values, "amount": "7000.01"})
    assert over.status_code == 200
    assert "The fund has 7000.00 USD left to allocate" in over.content.decode()
    assert client.post(f"{ALLOCATIONS}add/", {**values, "amount": "7000.00"}).status_code == 302
    with tenant_context(world.tenant):
        given = Allocation.objects.get(partner=other)
        assert given.amount == D("7000.00") and given.created_by == world.manager.user
    change = client.post(f"{ALLOCATIONS}{world.allocation.pk}/change/", {"amount": "3000.01", "note": "x"})
    assert change.status_code == 200 and "left to allocate" in change.content.decode()
    assert client.post(f"{ALLOCATIONS}{world.allocation.pk}/change/", {"amount": "2500.00"}).status_code == 302
    with tenant_context(world.tenant):
        world.allocation.refresh_from_db()
        assert world.allocation.amount == D("2500.00")
        assert AuditEvent.objects.filter(action="mdf.allocation_set").count() == 2


@pytest.mark.django_db
def test_activity_types_with_required_proof_and_activation(world):
    client = portal_client(world.tenant, world.manager.user)
    values = {"name": "Radio", "key": "radio", "position": "3", "is_active": "on"}
    assert client.post(f"{TYPES}add/", {**values, "required_proof": ["invoice", "other"]}).status_code == 302
    duplicate = client.post(f"{TYPES}add/", {**values, "key": "webinar"})
    assert "An activity type with this key exists already." in duplicate.content.decode()
    with tenant_context(world.tenant):
        radio = ActivityType.objects.get(key="radio")
        assert radio.required_proof == ["invoice", "other"]
    action(client, TYPES, "deactivate", [radio, world.webinar])
    with tenant_context(world.tenant):
        assert set(ActivityType.objects.filter(is_active=False).values_list("key", flat=True)) == {"radio", "webinar"}


# --- requests -------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_requests_are_approved_rejected_and_returned_in_bulk(world):
    submitted = [_request(world, status="submitted", approved_amount=None) for _ in range(3)]
    draft = _request(world, status="draft", approved_amount=None, title="Drafty")
    client = portal_client(world.tenant, world.manager.user)
    response = client.post(
        REQUESTS, {"action": "approve", "_selected_action": [submitted[0].pk, draft.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 request approved." in page and "A request that is draft cannot be approved." in page
    form = action(client, REQUESTS, "reject", [submitted[1]])
    assert "Reason (shown to the partner)" in form.content.decode()
    action(client, REQUESTS, "reject", [submitted[1]], apply="1", text="")  # no reason: the form again
    with tenant_context(world.tenant):
        submitted[1].refresh_from_db()
        assert submitted[1].status == MdfRequestStatus.SUBMITTED
    action(client, REQUESTS, "reject", [submitted[1]], apply="1", text="Not our audience")
    action(client, REQUESTS, "return_for_changes", [submitted[2]], apply="1", text="Add the agenda")
    with tenant_context(world.tenant):
        for request in submitted:
            request.refresh_from_db()
        assert [r.status for r in submitted] == ["approved", "rejected", "returned"]
        assert submitted[0].approved_amount == D("1000.00")
        assert (submitted[1].decision_reason, submitted[1].decided_by) == ("Not our audience", world.manager.user)
    staff = portal_client(world.tenant, world.staff.user)
    assert 'value="approve"' in client.get(REQUESTS).content.decode()
    assert 'value="approve"' not in staff.get(REQUESTS).content.decode()  # staff read, managers decide


@pytest.mark.django_db
def test_a_request_is_approved_in_part_on_its_page(world):
    request = _request(world, status="submitted", approved_amount=None)
    client = portal_client(world.tenant, world.manager.user)
    page = client.get(f"{REQUESTS}{request.pk}/change/").content.decode()
    url = f"{REQUESTS}{request.pk}/decide/approve-part/"
    assert url in page
    no_reason = client.post(url, {"amount": "600.00", "reason": ""})
    assert "Say why only part of the amount is approved." in no_reason.content.decode()
    assert client.post(url, {"amount": "600.00", "reason": "Half the booth"}).status_code == 302
    with tenant_context(world.tenant):
        request.refresh_from_db()
    assert (request.status, request.approved_amount) == (MdfRequestStatus.PARTIALLY_APPROVED, D("600.00"))
    assert client.post(url, {"amount": "500.00", "reason": "again"}).status_code == 200  # 409 shown on the form
    staff = portal_client(world.tenant, world.staff.user)
    assert staff.get(url).status_code == 403
    assert client.get(f"{REQUESTS}{request.pk}/decide/nonsense/").status_code == 404


# --- claims ---------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_bulk_approve_posts_one_reimbursement_per_claim_and_a_rerun_posts_nothing(world):
    claims = [_submitted_claim(world, amount) for amount in ("500.00", "400.00")]
    client = portal_client(world.tenant, world.manager.user)
    response = client.post(CLAIMS, {"action": "approve", "_selected_action": [c.pk for c in claims]}, follow=True)
    assert "2 claims approved." in response.content.decode()
    rerun = client.post(CLAIMS, {"action": "approve", "_selected_action": [c.pk for c in claims]}, follow=True)
    assert "A claim that is approved cannot be approved." in rerun.content.decode()
    with tenant_context(world.tenant):
        lines = LedgerEntry.objects.filter(entry_type=EntryType.REIMBURSEMENT)
        assert sorted(lines.values_list("amount", flat=True)) == [D("400.00"), D("500.00")]
        for claim in claims:
            claim.refresh_from_db()
            assert claim.status == MdfClaimStatus.APPROVED and claim.reimbursement_id in {e.pk for e in lines}
    page = client.get(f"{CLAIMS}{claims[0].pk}/change/").content.decode()
    assert f"/admin/incentives/ledgerentry/{claims[0].reimbursement_id}/change/" in page


@pytest.mark.django_db
def test_rejecting_claims_needs_a_reason(world):
    claim = _submitted_claim(world)
    client = portal_client(world.tenant, world.manager.user)
    assert "Reject claims" in action(client, CLAIMS, "reject", [claim]).content.decode()
    action(client, CLAIMS, "reject", [claim], apply="1", text="  ")
    with tenant_context(world.tenant):
        claim.refresh_from_db()
        assert claim.status == MdfClaimStatus.SUBMITTED
    action(client, CLAIMS, "reject", [claim], apply="1", text="No proof of the event")
    with tenant_context(world.tenant):
        claim.refresh_from_db()
        assert (claim.status, claim.decision_reason) == (MdfClaimStatus.REJECTED, "No proof of the event")
        assert not LedgerEntry.objects.filter(entry_type=EntryType.REIMBURSEMENT).exists()


@pytest.mark.django_db
def test_a_claim_is_approved_in_part_returned_or_given_more_time_on_its_page(world):
    partial, returned = _submitted_claim(world), _submitted_claim(world)
    client = portal_client(world.tenant, world.manager.user)
    base = f"{CLAIMS}{partial.pk}/decide/"
    assert client.post(f"{base}approve-part/", {"amount": "450.00", "reason": "Catering"}).status_code == 302
    assert client.post(f"{CLAIMS}{returned.pk}/decide/return/", {"reason": "Add photos"}).status_code == 302
    page = client.get(f"{CLAIMS}{returned.pk}/change/").content.decode()
    assert f"{CLAIMS}{returned.pk}/decide/extend/" in page and "decide/approve-part/" not in page
    with tenant_context(world.tenant):
        returned.refresh_from_db()
    earlier = client.post(f"{CLAIMS}{returned.pk}/decide/extend/", {"due_on": str(returned.due_on), "reason": "x"})
    assert f"Choose a later date than {returned.due_on}" in earlier.content.decode()
    later = returned.due_on + datetime.timedelta(days=30)
    assert (
        client.post(f"{CLAIMS}{returned.pk}/decide/extend/", {"due_on": str(later), "reason": "Trade fair"}).status_code
        == 302
    )
    with tenant_context(world.tenant):
        partial.refresh_from_db()
        returned.refresh_from_db()
    assert (partial.status, partial.approved_amount) == (MdfClaimStatus.PARTIALLY_APPROVED, D("450.00"))
    assert (returned.status, returned.due_on) == (MdfClaimStatus.RETURNED, later)


@pytest.mark.django_db
def test_proof_files_are_downloaded_as_attachments(world):
    claim = _submitted_claim(world)
    with tenant_context(world.tenant):
        attachment = claim.attachments.get()
    client = portal_client(world.tenant, world.staff.user)
    page = client.get(f"{CLAIMS}{claim.pk}/change/").content.decode()
    url = f"{CLAIMS}{claim.pk}/attachments/{attachment.pk}/"
    assert url in page and "inv.pdf" in page
    response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and 'filename="inv.pdf"' in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == proof_files.PDF
    assert client.get(f"{CLAIMS}{claim.pk + 1000}/attachments/{attachment.pk}/").status_code == 404
    partner = portal_client(world.tenant, world.admin.user)
    assert partner.get(url).status_code in (302, 403, 404)


# --- isolation ------------------------------------------------------------------------------------------------
def mdf_b_rows(tenant_b) -> dict:
    """One row of tenant B for every MDF admin model (the isolation matrix reads these too)."""
    with tenant_context(tenant_b):
        world = mdf_world(tenant_b)
        request = MdfRequestFactory(tenant=tenant_b, allocation=world.allocation, activity_type=world.webinar)
        claim = MdfClaimFactory(tenant=tenant_b, request=request)
        attachment = claim_attachment_add(actor=world.admin.user, claim=claim, kind="invoice", upload=proof_files.pdf())
    return {
        "mdf.fund": world.fund,
        "mdf.allocation": world.allocation,
        "mdf.activitytype": world.webinar,
        "mdf.mdfrequest": request,
        "mdf.mdfclaim": claim,
        "attachment": attachment,
    }


@pytest.mark.django_db
def test_another_tenants_mdf_rows_are_404_in_the_admin(world, tenant_b):
    b = mdf_b_rows(tenant_b)
    client = portal_client(world.tenant, world.manager.user)
    for label in ("mdf.fund", "mdf.allocation", "mdf.activitytype", "mdf.mdfrequest", "mdf.mdfclaim"):
        model = label.split(".")[1]
        response = client.get(f"/admin/mdf/{model}/{b[label].pk}/change/")
        assert response.status_code == 302 and response.url == "/admin/", label
    claim, attachment = b["mdf.mdfclaim"], b["attachment"]
    assert client.get(f"{CLAIMS}{claim.pk}/attachments/{attachment.pk}/").status_code == 404
    assert client.post(f"{REQUESTS}{b['mdf.mdfrequest'].pk}/decide/approve-part/", {"amount": "1"}).status_code == 404
    for decision in ("approve-part", "return", "extend"):
        assert client.post(f"{CLAIMS}{claim.pk}/decide/{decision}/", {"reason": "x"}).status_code == 404
    move = {"target": world.fund.pk, "amount": "1.00", "reason": "x"}
    assert client.post(f"{FUNDS}{b['mdf.fund'].pk}/decide/move-budget/", move).status_code == 404
    action(client, CLAIMS, "approve", [claim])
    action(client, FUNDS, "allocate_by_tier", [b["mdf.fund"]])
    other_fund = {"fund": b["mdf.fund"].pk, "partner": b["mdf.allocation"].partner_id, "source": "manual"}
    assert client.post(f"{ALLOCATIONS}add/", {**other_fund, "amount": "1.00"}).status_code == 200  # not a choice
    with tenant_context(tenant_b):
        claim.refresh_from_db()
        assert claim.status == "draft"
        assert Allocation.objects.count() == 1
    with tenant_context(world.tenant):
        assert not Allocation.objects.exclude(pk=world.allocation.pk).exists()


@pytest.mark.django_db
def test_operators_read_every_tenants_mdf_on_the_platform_host(world, tenant_b):
    b = mdf_b_rows(tenant_b)
    _submitted_claim(world)
    operator = portal_client(None, UserFactory(is_staff=True, is_superuser=True))
    for url in (FUNDS, ALLOCATIONS, TYPES, REQUESTS, CLAIMS):
        page = operator.get(url)
        assert page.status_code == 200, url
        assert tenant_b.name in page.content.decode(), url  # the tenant column
    assert operator.get(f"{FUNDS}add/").status_code == 403
    action(operator, CLAIMS, "approve", [b["mdf.mdfclaim"]])  # operators look, never decide
    with tenant_context(tenant_b):
        assert MdfClaim.objects.get(pk=b["mdf.mdfclaim"].pk).status == "draft"


@pytest.mark.django_db
def test_the_overdue_filter_and_flag_follow_the_review_deadline(world):
    now = timezone.now()
    late = _request(world, status="submitted", approved_amount=None, title="Late one", review_due_at=now - ONE_DAY)
    _request(world, status="submitted", approved_amount=None, title="Still in time", review_due_at=now + ONE_DAY)
    _request(world, status="approved", title="Decided late", review_due_at=now - ONE_DAY)
    client = portal_client(world.tenant, world.manager.user)
    overdue = client.get(REQUESTS, {"overdue": "yes"}).content.decode()
    assert "Late one" in overdue and "Still in time" not in overdue and "Decided late" not in overdue
    in_time = client.get(REQUESTS, {"overdue": "no"}).content.decode()
    assert "Late one" not in in_time and "Still in time" in in_time
    assert f'href="/admin/mdf/mdfrequest/{late.pk}/change/' in overdue
