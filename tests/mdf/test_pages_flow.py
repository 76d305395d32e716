"""The whole MDF flow through the portal pages, as a partner admin and a channel manager would click it:
request → submit → partial approval → claim → invoice and lead CSV → submit → approval and reimbursement."""

import datetime
from decimal import Decimal

import pytest

from deals.models import Lead
from incentives.models import EntryType, LedgerEntry
from incentives.services import payout_approve, payout_mark_paid, payouts_prepare
from mdf.models import CampaignLead, ClaimAttachment, MdfClaim, MdfRequest
from mdf.selectors import allocation_balance
from prm.tenancy.context import tenant_context

from . import proof_files
from .pages_support import client_of, html_of, pages_world

D = Decimal


@pytest.fixture
def world(tenant_a):
    return pages_world(tenant_a)


def request_form(world, **overrides) -> dict:
    today = datetime.date.today()
    return {
        "allocation": world.mdf.allocation.pk,
        "activity_type": world.mdf.webinar.pk,
        "title": "Spring webinar series",
        "description": "Three webinars on cloud backup for SMB customers.",
        "starts_on": (today - datetime.timedelta(days=12)).isoformat(),
        "ends_on": (today - datetime.timedelta(days=5)).isoformat(),
        "planned_cost": "2000.00",
        "requested_amount": "1000.00",
        "expected_leads": "25",
        "campaign_code": "SPRING-WEB",
        **overrides,
    }


@pytest.mark.django_db
def test_request_claim_and_reimbursement_through_the_portal(world):
    partner, manager = client_of(world, world.mdf.admin), client_of(world, world.manager)
    html = html_of(partner.get("/mdf/requests/new"))
    assert "pays back up to 50" in html and "Rival" not in html

    # the partner saves a draft, then submits it from its page
    response = partner.post("/mdf/requests/new", request_form(world, save="1"))
    assert response.status_code == 302
    with tenant_context(world.tenant):
        mdf_request = MdfRequest.objects.get(campaign_code="SPRING-WEB")
    assert mdf_request.status == "draft" and mdf_request.requested_by == world.mdf.admin.user
    assert response.url == f"/mdf/requests/{mdf_request.pk}/"
    html = html_of(partner.get(response.url))
    assert 'id="cap-amount">1000.00 USD' in html  # 50 % of 2000, within the 3000 available
    assert partner.post(f"/mdf/requests/{mdf_request.pk}/submit").status_code == 302

    # the manager finds it in the queue and approves part of it
    assert f'id="request-{mdf_request.pk}"' in html_of(manager.get("/mdf/review/"))
    response = manager.post(
        f"/mdf/requests/{mdf_request.pk}/approve", {"amount": "800.00", "reason": "Two webinars, not three."}
    )
    assert response.status_code == 302
    with tenant_context(world.tenant):
        mdf_request.refresh_from_db()
    assert (mdf_request.status, mdf_request.approved_amount) == ("partially_approved", D("800.00"))
    assert mdf_request.decision_reason == "Two webinars, not three."

    # the partner sees the decision and starts the claim
    html = html_of(partner.get("/mdf/"))
    assert "Claim now — due" in html
    html = html_of(partner.get(f"/mdf/requests/{mdf_request.pk}/"))
    assert "Two webinars, not three." in html and "Start the claim" in html
    response = partner.post(
        f"/mdf/requests/{mdf_request.pk}/claim", {"actual_cost": "1700.00", "amount": "800.00", "notes": "Two held."}
    )
    with tenant_context(world.tenant):
        claim = MdfClaim.objects.get(request=mdf_request)
    assert response.status_code == 302 and response.url == f"/mdf/claims/{claim.pk}/"
    assert (claim.status, claim.amount, claim.actual_cost) == ("draft", D("800.00"), D("1700.00"))
    assert "Still missing: Invoice" in html_of(partner.get(response.url))

    # proof: the invoice and the leads
    upload = f"/mdf/claims/{claim.pk}/attachments"
    assert partner.post(upload, {"kind": "invoice", "file": proof_files.pdf("march invoice.pdf")}).status_code == 302
    leads_csv = proof_files.csv_file(proof_files.LEADS, "leads.csv")
    assert partner.post(upload, {"kind": "leads", "file": leads_csv}).status_code == 302
    with tenant_context(world.tenant):
        invoice, leads = ClaimAttachment.objects.filter(claim=claim).order_by("pk")
    assert (invoice.original_name, invoice.content_type, leads.rows) == ("march invoice.pdf", "application/pdf", 2)
    html = html_of(partner.get(f"/mdf/claims/{claim.pk}/"))
    assert "All the required proof is attached." in html and f"/mdf/attachments/{invoice.pk}/download" in html
    assert partner.post(f"/mdf/claims/{claim.pk}/submit").status_code == 302
    with tenant_context(world.tenant):
        claim.refresh_from_db()
        assert claim.status == "submitted"
        assert CampaignLead.objects.filter(request=mdf_request).count() == 2
        assert set(Lead.objects.filter(source_campaign="SPRING-WEB").values_list("company_name", flat=True)) == {
            "Globex",
            "Initech",
        }

    # the manager reads the proof and approves the claim in full
    html = html_of(manager.get(f"/mdf/claims/{claim.pk}/"))
    assert 'id="leads">2<' in html and f"/mdf/attachments/{leads.pk}/download" in html
    download = manager.get(f"/mdf/attachments/{invoice.pk}/download")
    assert download.status_code == 200 and b"".join(download.streaming_content) == proof_files.PDF
    assert 'filename="march invoice.pdf"' in download["Content-Disposition"]
    assert manager.post(f"/mdf/claims/{claim.pk}/approve", {"amount": "", "reason": ""}).status_code == 302
    with tenant_context(world.tenant):
        claim.refresh_from_db()
        entry = LedgerEntry.objects.get(entry_type=EntryType.REIMBURSEMENT)
        balance = allocation_balance(world.mdf.allocation)
    assert (claim.status, claim.approved_amount, claim.reimbursement_id) == ("approved", D("800.00"), entry.pk)
    assert (entry.amount, entry.recipient_partner_id) == (D("800.00"), world.mdf.partner.pk)
    assert (balance.approved, balance.available) == (D("800.00"), D("2200.00"))
    html = html_of(partner.get(f"/mdf/claims/{claim.pk}/"))
    assert 'id="reimbursement">800.00 USD posted' in html

    # paid with the next payout: the partner sees when
    with tenant_context(world.tenant):
        (payout,) = payouts_prepare(actor=None, currency="USD")
        payout_approve(actor=None, payout=payout)
        payout_mark_paid(actor=None, payout=payout, external_reference="SEPA-7")
        claim.refresh_from_db()
    assert claim.status == "paid"
    html = html_of(partner.get(f"/mdf/claims/{claim.pk}/"))
    assert 'id="paid">' in html and "0 days after the claim" in html
    row = html_of(partner.get("/mdf/")).split(f'id="claim-{claim.pk}"')[1].split("</tr>")[0]
    assert "Paid on" in row and "Paid<" in row
