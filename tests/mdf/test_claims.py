"""Claims: the state machine, proof requirements, lead CSVs becoming campaign leads, the reimbursement posted
once to the incentives ledger and paid through a payout, and the allocation balance at every step."""

import datetime
from decimal import Decimal

import pytest

from deals.models import Lead
from incentives.models import EntryType, LedgerEntry
from incentives.services import payout_approve, payout_mark_paid, payouts_prepare
from mdf.models import CampaignLead, MdfClaimStatus
from mdf.selectors import allocation_balance
from mdf.services import (
    claim_attachment_add,
    mdf_claim_approve,
    mdf_claim_create,
    mdf_claim_reject,
    mdf_claim_return,
    mdf_claim_submit,
    mdf_claim_update,
)
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.mdf import proof_files
from tests.mdf.factories import MdfClaimFactory, MdfRequestFactory, mdf_world

D = Decimal


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        yield mdf_world(tenant_a)


def _request(world, activity=None, approved="1000.00"):
    return MdfRequestFactory(
        tenant=world.tenant,
        allocation=world.allocation,
        activity_type=activity or world.webinar,
        approved_amount=D(approved),
        requested_amount=D(approved),
    )


@pytest.mark.django_db
def test_a_claim_moves_the_money_through_every_balance_bucket_to_paid(world):
    user = world.admin.user
    request = _request(world)
    balance = allocation_balance(world.allocation)
    assert (balance.requested, balance.available) == (D("1000.00"), D("2000.00"))

    claim = mdf_claim_create(actor=user, request=request, actual_cost=D("1800.00"), amount=D("900.00"))
    assert claim.due_on == request.ends_on + datetime.timedelta(days=60)
    assert allocation_balance(world.allocation).requested == D("1000.00")  # a draft claims nothing yet

    claim_attachment_add(actor=user, claim=claim, kind="invoice", upload=proof_files.pdf())
    mdf_claim_submit(actor=user, claim=claim)
    balance = allocation_balance(world.allocation)
    assert (balance.requested, balance.claimed, balance.available) == (D("100.00"), D("900.00"), D("2000.00"))

    claim = mdf_claim_approve(actor=None, claim=claim, amount=D("850.00"), reason="Catering is not covered.")
    assert claim.status == MdfClaimStatus.PARTIALLY_APPROVED
    balance = allocation_balance(world.allocation)
    assert (balance.requested, balance.claimed, balance.approved) == (D(0), D(0), D("850.00"))
    assert balance.available == D("2150.00")  # the 150 not approved goes back to the allocation
    entry = LedgerEntry.objects.get(entry_type=EntryType.REIMBURSEMENT)
    assert (entry.amount, entry.currency, entry.recipient_partner_id) == (D("850.00"), "USD", world.partner.pk)
    assert entry.explanation["campaign_code"] == request.campaign_code

    (payout,) = payouts_prepare(actor=None, currency="USD")
    payout_approve(actor=None, payout=payout)
    payout_mark_paid(actor=None, payout=payout, external_reference="SEPA-1")
    claim.refresh_from_db()
    assert claim.status == MdfClaimStatus.PAID and claim.paid_at is not None
    balance = allocation_balance(world.allocation)
    assert (balance.approved, balance.paid, balance.available) == (D(0), D("850.00"), D("2150.00"))


@pytest.mark.django_db
def test_the_reimbursement_is_posted_once(world):
    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world), status="submitted")
    mdf_claim_approve(actor=None, claim=claim)
    with pytest.raises(StateConflict):
        mdf_claim_approve(actor=None, claim=claim)
    assert LedgerEntry.objects.filter(entry_type=EntryType.REIMBURSEMENT).count() == 1


@pytest.mark.django_db
def test_claims_are_capped_by_the_tier_share_of_the_actual_cost_and_the_approved_amount(world):
    request = _request(world, approved="1000.00")
    with pytest.raises(InvalidInput) as caught:  # 50 % of 1,500 = 750
        mdf_claim_create(actor=None, request=request, actual_cost=D("1500.00"), amount=D("750.01"))
    assert "750.00" in caught.value.message
    claim = mdf_claim_create(actor=None, request=request, actual_cost=D("5000.00"), amount=D("1000.00"))
    with pytest.raises(InvalidInput):
        mdf_claim_update(actor=None, claim=claim, amount=D("1000.01"))  # above the approved amount
    with pytest.raises(StateConflict):
        mdf_claim_create(actor=None, request=request, actual_cost=D("5000.00"), amount=D("10.00"))  # one per request


@pytest.mark.django_db
def test_only_an_approved_request_can_be_claimed(world):
    request = MdfRequestFactory(
        tenant=world.tenant, allocation=world.allocation, status="submitted", approved_amount=None
    )
    with pytest.raises(StateConflict):
        mdf_claim_create(actor=None, request=request, actual_cost=D("100"), amount=D("50"))


@pytest.mark.django_db
def test_submission_needs_the_proof_the_activity_type_requires(world):
    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world, activity=world.event))
    with pytest.raises(InvalidInput):
        mdf_claim_submit(actor=None, claim=claim)  # nothing attached
    claim_attachment_add(actor=None, claim=claim, kind="invoice", upload=proof_files.pdf())
    with pytest.raises(InvalidInput) as caught:
        mdf_claim_submit(actor=None, claim=claim)
    assert "Photo" in caught.value.message and "Attendee list" in caught.value.message
    claim_attachment_add(actor=None, claim=claim, kind="photo", upload=proof_files.png())
    attendees = claim_attachment_add(
        actor=None, claim=claim, kind="attendees", upload=proof_files.csv_file(proof_files.ATTENDEES)
    )
    assert attendees.rows == 2
    assert mdf_claim_submit(actor=None, claim=claim).status == MdfClaimStatus.SUBMITTED


@pytest.mark.django_db
def test_the_window_closes_at_the_due_date(world):
    claim = MdfClaimFactory(
        tenant=world.tenant, request=_request(world), due_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    claim_attachment_add(actor=None, claim=claim, kind="invoice", upload=proof_files.pdf())
    with pytest.raises(StateConflict) as caught:
        mdf_claim_submit(actor=None, claim=claim)
    assert caught.value.current_state == "window_closed"


@pytest.mark.django_db
def test_lead_csv_rows_become_the_partners_accepted_leads_of_the_campaign_once(world):
    request = _request(world)
    claim = MdfClaimFactory(tenant=world.tenant, request=request)
    claim_attachment_add(actor=None, claim=claim, kind="invoice", upload=proof_files.pdf())
    leads_file = claim_attachment_add(
        actor=None, claim=claim, kind="leads", upload=proof_files.csv_file(proof_files.LEADS)
    )
    assert leads_file.rows == 2
    assert not Lead.objects.exists()  # leads are made when the claim is submitted
    mdf_claim_submit(actor=None, claim=claim)
    leads = Lead.objects.order_by("company_name")
    assert [lead.company_name for lead in leads] == ["Globex", "Initech"]
    assert {(lead.partner_id, lead.status, lead.source_campaign) for lead in leads} == {
        (world.partner.pk, Lead.Status.ACCEPTED, request.campaign_code)
    }
    mdf_claim_return(actor=None, claim=claim, reason="Add the photos of the booth.")
    mdf_claim_submit(actor=None, claim=claim)  # submitted again: the same file is not imported twice
    assert CampaignLead.objects.filter(request=request).count() == 2 == Lead.objects.count()


@pytest.mark.django_db
def test_a_bad_lead_csv_is_refused_whole_with_every_bad_row(world):
    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world))
    bad = "company_name,country,estimated_value\nGlobex,US,100\n,US,5\nInitech,Narnia,abc\n"
    with pytest.raises(InvalidInput) as caught:
        claim_attachment_add(actor=None, claim=claim, kind="leads", upload=proof_files.csv_file(bad))
    assert {"line 3.company_name", "line 4.country", "line 4.estimated_value"} <= set(caught.value.fields)
    assert not claim.attachments.exists()


@pytest.mark.django_db
def test_a_rejected_claim_gives_the_approved_amount_back(world):
    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world), status="submitted")
    with pytest.raises(InvalidInput):
        mdf_claim_reject(actor=None, claim=claim, reason=" ")
    mdf_claim_reject(actor=None, claim=claim, reason="The event did not take place.")
    assert allocation_balance(world.allocation).available == D("3000.00")
    with pytest.raises(StateConflict):
        mdf_claim_submit(actor=None, claim=claim)


@pytest.mark.django_db
def test_the_reimbursement_line_explains_itself_on_the_statement(world):
    from incentives.selectors import explain_entry

    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world), status="submitted", actual_cost=D("2400"))
    claim = mdf_claim_approve(actor=None, claim=claim)
    text = explain_entry(claim.reimbursement)
    assert f"MDF claim #{claim.pk}, campaign {claim.request.campaign_code}" in text
    assert "claimed 1000.00 of an actual cost of 2400" in text and "approved 1000.00" in text


@pytest.mark.django_db
def test_time_from_claim_to_payment_is_measured(world):
    from django.utils import timezone

    from mdf.models import MdfClaim
    from mdf.selectors import claim_payment_times

    submitted = timezone.now() - datetime.timedelta(days=30)
    for days in (2, 4, 12):  # paid after 2, 4 and 12 days: average 6, median 4, p90 10.4
        MdfClaimFactory(
            tenant=world.tenant,
            request=_request(world, approved="100.00"),
            status="paid",
            amount=D("100.00"),
            approved_amount=D("100.00"),
            submitted_at=submitted,
            paid_at=submitted + datetime.timedelta(days=days),
        )
    MdfClaimFactory(tenant=world.tenant, request=_request(world, approved="100.00"), status="submitted")
    times = claim_payment_times(MdfClaim.objects.all())
    assert (times.paid_claims, times.average_days, times.median_days, times.p90_days) == (
        3,
        D("6.0"),
        D("4.0"),
        D("10.4"),
    )
    assert claim_payment_times(MdfClaim.objects.none()).median_days is None


@pytest.mark.django_db
def test_proof_is_stored_under_a_generated_name_and_downloads_under_a_safe_one(world):
    import re

    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world))
    attachment = claim_attachment_add(
        actor=None, claim=claim, kind="invoice", upload=proof_files.pdf(name="../../etc/passwd.exe")
    )
    assert re.fullmatch(rf"mdf/claims/{world.tenant.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert attachment.original_name == "passwd.pdf"


@pytest.mark.django_db
def test_the_reimbursement_line_links_its_claim(world):
    from incentives.selectors.ledger import entries_links

    claim = MdfClaimFactory(tenant=world.tenant, request=_request(world), status="submitted")
    claim = mdf_claim_approve(actor=None, claim=claim)
    links = entries_links([claim.reimbursement], vendor=False)[claim.reimbursement.pk]
    assert links == [{"label": f"MDF claim #{claim.pk}", "url": f"/mdf/claims/{claim.pk}/"}]
