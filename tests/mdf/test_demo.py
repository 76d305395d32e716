"""The MDF demo data: every request and claim state per tenant, real proof files, campaign leads of which some
became won deals, reimbursements paid through payouts of reimbursements only; seeding again changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from deals.models import Deal, DealStatus
from incentives.models import EntryType, LedgerEntry, PayoutItem
from mdf.models import (
    ActivityType,
    Allocation,
    CampaignLead,
    ClaimAttachment,
    Fund,
    MdfClaim,
    MdfClaimStatus,
    MdfRequest,
    MdfRequestStatus,
)
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant


def _rows():
    return (
        sorted(Fund.objects.values_list("pk", "name", "budget")),
        sorted(Allocation.objects.values_list("pk", "fund_id", "partner_id", "source", "amount")),
        sorted(MdfRequest.objects.values_list("pk", "status", "approved_amount", "submitted_at", "decided_at")),
        sorted(MdfClaim.objects.values_list("pk", "status", "approved_amount", "submitted_at", "paid_at")),
        sorted(ClaimAttachment.objects.values_list("pk", "kind", "sha256")),
        sorted(CampaignLead.objects.values_list("pk", "lead_id")),
        LedgerEntry.objects.filter(entry_type=EntryType.REIMBURSEMENT).count(),
    )


def test_demo_mdf_has_every_state_paid_claims_and_roi_inputs(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
        first = _rows()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "5 MDF funds" in out.getvalue()

    now = timezone.now()
    for tenant in Tenant.objects.filter(slug__in=["acme", "globex"]):
        with tenant_context(tenant):
            if tenant.slug == "acme":
                assert _rows() == first
            assert Fund.objects.count() == 5 and ActivityType.objects.count() == 7
            # the oldest quarter's allocations expired unused and went back to the fund
            assert Allocation.objects.filter(expired_amount__gt=0, expired_at__isnull=False).exists()
            assert set(Allocation.objects.values_list("source", flat=True)) == {"tier", "manual", "coop"}
            # the partner the README names for MDF has a bit of everything
            showcase = MdfRequest.objects.filter(partner__domain="iberia-cloud.example")
            assert showcase.count() == 10 and showcase.values("status").distinct().count() >= 3
            # every state but lapsed: the demo gives a year to claim, so nothing has lapsed yet
            statuses = set(MdfRequestStatus.values) - {MdfRequestStatus.LAPSED}
            assert set(MdfRequest.objects.values_list("status", flat=True)) == statuses
            assert set(MdfClaim.objects.values_list("status", flat=True)) == set(MdfClaimStatus.values)
            # proof files of every kind, checked by content like any upload
            kinds = set(ClaimAttachment.objects.values_list("kind", flat=True))
            assert kinds == {"invoice", "photo", "attendees", "leads", "other"}
            assert ClaimAttachment.objects.filter(kind="photo", content_type="image/png").exists()
            # ROI inputs: campaign leads, deals won from them, paid claims
            leads = CampaignLead.objects.values("lead_id")
            assert leads.count() >= 10
            won = Deal.objects.filter(lead_id__in=leads, status=DealStatus.WON)
            assert won.count() >= 3 and all(deal.closed_amount > 0 for deal in won)
            paid = MdfClaim.objects.filter(status=MdfClaimStatus.PAID)
            assert paid.count() >= 4
            for claim in paid:
                assert PayoutItem.objects.filter(entry_id=claim.reimbursement_id, payout__status="paid").exists()
                assert claim.submitted_at <= claim.decided_at <= claim.paid_at <= now
                assert claim.reimbursement.created_at <= claim.paid_at  # never paid before the line was posted
            # the reimbursements' payouts carry nothing else
            payouts = set(
                PayoutItem.objects.filter(entry__entry_type=EntryType.REIMBURSEMENT).values_list("payout_id", flat=True)
            )
            kinds = set(PayoutItem.objects.filter(payout_id__in=payouts).values_list("entry__entry_type", flat=True))
            assert kinds == {EntryType.REIMBURSEMENT}
            assert not MdfRequest.objects.filter(submitted_at__gt=now).exists()
            assert not MdfClaim.objects.filter(decided_at__gt=now).exists()
            assert Fund.objects.filter(ends_on__lt=timezone.localdate()).count() == 4
