"""Claims: after the activity the partner claims the reimbursement of an approved request with proof of
performance; a manager approves (in full or in part), rejects or returns it. An approved claim posts a
reimbursement line to the incentives ledger, paid through the incentives payouts; the payout's payment marks
the claim paid. Leads in the claim's lead CSVs become the partner's leads tied to the campaign."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deals.rules import add_business_days
from deals.services import leads_check, leads_import
from incentives.selectors import payout_entry_ids
from incentives.services import reimbursement_post
from partners.services.tiers import tenant_today
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.files.inspection import inspect_upload
from prm.files.names import download_name, private_name

from ..attendees import attendee_count
from ..models import (
    APPROVED_CLAIM_STATUSES,
    APPROVED_REQUEST_STATUSES,
    OPEN_CLAIM_STATUSES,
    CampaignLead,
    ClaimAttachment,
    MdfClaim,
    MdfClaimStatus,
    MdfRequest,
    MdfRequestStatus,
    ProofKind,
)
from ..rules import claim_cap, claim_due
from .decisions import decision_record
from .notices import claim_tell

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 30
# What each kind of proof may be, judged by the file's content.
PROOF_FILE_KINDS = {
    ProofKind.INVOICE: {"pdf", "png", "jpeg"},
    ProofKind.PHOTO: {"png", "jpeg"},
    ProofKind.ATTENDEES: {"csv"},
    ProofKind.LEADS: {"csv"},
    ProofKind.OTHER: {"pdf", "png", "jpeg", "csv", "xlsx"},
}


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def claim_due_on(request: MdfRequest) -> datetime.date:
    return claim_due(request.ends_on, request.allocation.fund.claim_window_days)


def _reimbursement_pct(claim_or_request) -> Decimal | None:
    tier = claim_or_request.partner.tier
    return tier.mdf_reimbursement_cap_pct if tier else None


def _check_amounts(request: MdfRequest, actual_cost, amount) -> None:
    if actual_cost is None or actual_cost < 0:
        raise _invalid("actual_cost", _("Must be 0 or more."))
    if amount is None or amount <= 0:
        raise _invalid("amount", _("Claim more than 0."))
    cap = claim_cap(actual_cost, _reimbursement_pct(request), request.approved_amount)
    if amount > cap:
        raise _invalid(
            "amount",
            _("You can claim at most %(cap)s %(currency)s: your tier's share of the actual cost, up to the approved "
              "%(approved)s.")
            % {"cap": cap, "currency": request.allocation.fund.currency, "approved": request.approved_amount},
        )  # fmt: skip


@transaction.atomic
def mdf_claim_create(*, actor, request: MdfRequest, actual_cost: Decimal, amount: Decimal, notes: str = "") -> MdfClaim:
    """A draft claim for an approved request (one claim per request)."""
    request = (
        MdfRequest.objects.select_for_update(of=("self",))
        .select_related("allocation__fund", "partner__tier")
        .get(pk=request.pk)
    )
    if request.status not in APPROVED_REQUEST_STATUSES:
        raise StateConflict(
            _("Only an approved request can be claimed; this one is %(status)s.")
            % {"status": request.get_status_display().lower()},
            current_state=request.status,
        )
    if MdfClaim.objects.filter(request=request).exists():
        raise StateConflict(_("This request has a claim already."), current_state="claimed")
    _check_amounts(request, actual_cost, amount)
    claim = MdfClaim.objects.create(
        request=request,
        allocation=request.allocation,
        partner=request.partner,
        claimed_by=actor,
        actual_cost=actual_cost,
        amount=amount,
        notes=(notes or "").strip(),
        due_on=claim_due_on(request),
    )
    audit_record(action="mdf.claim_create", actor=actor, obj=claim, context={"amount": str(amount)})
    return claim


def _locked(claim: MdfClaim) -> MdfClaim:
    return (
        MdfClaim.objects.select_for_update(of=("self",))
        .select_related("request__activity_type", "allocation__fund", "partner__tier")
        .get(pk=claim.pk)
    )


_ACTIONS = {
    "changed": lambda: pgettext("what cannot be done to an MDF claim", "changed"),
    "submitted": lambda: pgettext("what cannot be done to an MDF claim", "submitted"),
    "approved": lambda: pgettext("what cannot be done to an MDF claim", "approved"),
    "rejected": lambda: pgettext("what cannot be done to an MDF claim", "rejected"),
    "returned": lambda: pgettext("what cannot be done to an MDF claim", "returned"),
}


def _require(claim: MdfClaim, allowed, action: str) -> None:
    if claim.status not in allowed:
        raise StateConflict(
            _("A claim that is %(status)s cannot be %(action)s.")
            % {"status": claim.get_status_display().lower(), "action": _ACTIONS[action]()},
            current_state=claim.status,
        )


def _require_held(claim: MdfClaim) -> None:
    """A request that lapsed (not claimed in time) released its money: its claim can no longer go ahead."""
    if claim.request.status == MdfRequestStatus.LAPSED:
        raise StateConflict(
            _("The request was not claimed by %(date)s and lapsed; its money was released.")
            % {"date": claim.due_on.isoformat()},
            current_state=MdfRequestStatus.LAPSED,
        )


@transaction.atomic
def mdf_claim_update(*, actor, claim: MdfClaim, actual_cost=None, amount=None, notes=None) -> MdfClaim:
    """Change a draft or returned claim's figures or notes."""
    claim = _locked(claim)
    _require(claim, OPEN_CLAIM_STATUSES, "changed")
    actual_cost = claim.actual_cost if actual_cost is None else actual_cost
    amount = claim.amount if amount is None else amount
    _check_amounts(claim.request, actual_cost, amount)
    before = {"actual_cost": str(claim.actual_cost), "amount": str(claim.amount)}
    claim.actual_cost, claim.amount = actual_cost, amount
    if notes is not None:
        claim.notes = notes.strip()
    claim.save(update_fields=["actual_cost", "amount", "notes", "updated_at"])
    audit_record(
        action="mdf.claim_update",
        actor=actor,
        obj=claim,
        changes={key: [value, str(getattr(claim, key))] for key, value in before.items()},
    )
    return claim


def _proof_rows(kind: str, data: bytes) -> int | None:
    """Row count of CSV proof, checked row by row (InvalidInput listing every bad row); None for other proof."""
    if kind == ProofKind.LEADS:
        return len(leads_check(data))
    if kind == ProofKind.ATTENDEES:
        return attendee_count(data)
    return None


@transaction.atomic
def claim_attachment_add(*, actor, claim: MdfClaim, kind: str, upload) -> ClaimAttachment:
    """Attach one proof file to a draft or returned claim. The file's content decides what it is (PROOF_FILE_KINDS
    per proof kind); CSV proof is checked row by row and refused whole if any row is bad. Stored under a
    generated name; the uploader's name is only kept, made safe, for the download."""
    claim = _locked(claim)
    _require(claim, OPEN_CLAIM_STATUSES, "changed")
    if kind not in ProofKind.values:
        raise _invalid("kind", _("Choose a kind of proof from the list."))
    if ClaimAttachment.objects.filter(claim=claim).count() >= MAX_ATTACHMENTS:
        raise _invalid("file", _("A claim holds at most %(max)d files.") % {"max": MAX_ATTACHMENTS})
    inspected = inspect_upload(upload, allowed=PROOF_FILE_KINDS[kind], max_bytes=MAX_ATTACHMENT_BYTES)
    upload.seek(0)
    rows = _proof_rows(kind, upload.read()) if inspected.kind == "csv" else None
    upload.seek(0)
    attachment = ClaimAttachment(
        claim=claim,
        kind=kind,
        original_name=download_name(getattr(upload, "name", ""), inspected.extension, fallback=kind),
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        rows=rows,
        uploaded_by=actor,
    )
    attachment.file.save(private_name(str(claim.tenant_id), inspected.extension), upload, save=True)
    audit_record(
        action="mdf.claim_attachment_add",
        actor=actor,
        obj=claim,
        context={"attachment": attachment.pk, "kind": kind, "size": inspected.size, "sha256": inspected.sha256},
    )
    return attachment


@transaction.atomic
def claim_attachment_remove(*, actor, attachment: ClaimAttachment) -> None:
    """Take a file off a draft or returned claim (the stored file is deleted once the removal commits)."""
    claim = _locked(attachment.claim)
    _require(claim, OPEN_CLAIM_STATUSES, "changed")
    stored = attachment.file.name
    storage = attachment.file.storage
    CampaignLead.objects.filter(attachment=attachment).update(attachment=None)
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    audit_record(action="mdf.claim_attachment_remove", actor=actor, obj=claim, context={"file": stored})


def missing_proof(claim: MdfClaim) -> list[str]:
    """The proof kinds the claim's activity type requires that it does not carry yet."""
    have = set(ClaimAttachment.objects.filter(claim=claim).values_list("kind", flat=True))
    return [kind for kind in claim.request.activity_type.required_proof if kind not in have]


def _import_campaign_leads(actor, claim: MdfClaim) -> int:
    """Make the leads of the claim's lead CSVs the partner's, tied to the campaign (each file once)."""
    imported = set(CampaignLead.objects.filter(request=claim.request).values_list("attachment_id", flat=True))
    count = 0
    files = ClaimAttachment.objects.filter(claim=claim, kind=ProofKind.LEADS).exclude(pk__in=imported - {None})
    for attachment in files:
        with attachment.file.open("rb") as stored:
            content = stored.read()
        leads = leads_import(
            actor=actor, content=content, partner=claim.partner, source_campaign=claim.request.campaign_code
        )
        CampaignLead.objects.bulk_create(
            CampaignLead(request=claim.request, lead=lead, attachment=attachment) for lead in leads
        )
        count += len(leads)
    return count


@transaction.atomic
def mdf_claim_submit(*, actor, claim: MdfClaim) -> MdfClaim:
    """Send a draft (or returned) claim for review: within the claim window, with at least one file and every
    proof kind the activity type requires. Its lead CSVs become the partner's leads for the campaign."""
    claim = _locked(claim)
    _require(claim, OPEN_CLAIM_STATUSES, "submitted")
    _require_held(claim)
    today = tenant_today()
    if today > claim.due_on:
        raise StateConflict(
            _("The claim window closed on %(date)s; ask your channel manager to extend it.") % {"date": claim.due_on},
            current_state="window_closed",
        )
    if not ClaimAttachment.objects.filter(claim=claim).exists():
        raise _invalid("attachments", _("Attach the invoice and your proof of performance."))
    missing = missing_proof(claim)
    if missing:
        labels = ", ".join(str(ProofKind(kind).label) for kind in missing)
        raise _invalid(
            "attachments", _("This kind of activity needs this proof as well: %(kinds)s.") % {"kinds": labels}
        )
    _check_amounts(claim.request, claim.actual_cost, claim.amount)
    leads = _import_campaign_leads(actor, claim)
    now = timezone.now()
    claim.status, claim.submitted_at = MdfClaimStatus.SUBMITTED, now
    claim.review_due_at = add_business_days(now, claim.allocation.fund.review_sla_business_days)
    claim.save(update_fields=["status", "submitted_at", "review_due_at", "updated_at"])
    audit_record(action="mdf.claim_submit", actor=actor, obj=claim, context={"leads": leads})
    claim_tell(claim=claim, kind="submitted", actor=actor)
    return claim


@transaction.atomic
def mdf_claim_extend(*, actor, claim: MdfClaim, due_on: datetime.date, reason: str) -> MdfClaim:
    """Give the partner more time to claim (a manager's decision, with the reason)."""
    claim = _locked(claim)
    _require(claim, OPEN_CLAIM_STATUSES, "changed")
    _require_held(claim)
    if due_on <= claim.due_on:
        raise _invalid("due_on", _("Choose a later date than %(date)s.") % {"date": claim.due_on})
    if not (reason or "").strip():
        raise _invalid("reason", _("Give the reason."))
    before, claim.due_on = claim.due_on, due_on
    claim.save(update_fields=["due_on", "updated_at"])
    audit_record(
        action="mdf.claim_extend",
        actor=actor,
        obj=claim,
        changes={"due_on": [str(before), str(due_on)]},
        context={"reason": reason.strip()},
    )
    return claim


@transaction.atomic
def mdf_claim_approve(*, actor, claim: MdfClaim, amount: Decimal | None = None, reason: str = "") -> MdfClaim:
    """Approve a submitted claim in full, or in part (a lower amount, with the reason), and post the
    reimbursement to the incentives ledger once (its key is the claim)."""
    claim = _locked(claim)
    _require(claim, {MdfClaimStatus.SUBMITTED}, "approved")
    amount = claim.amount if amount is None else amount
    if amount <= 0 or amount > claim.amount:
        raise _invalid("amount", _("Approve more than 0 and at most the claimed amount."))
    partial = amount < claim.amount
    if partial and not (reason or "").strip():
        raise _invalid("reason", _("Say why only part of the amount is approved."))
    request = claim.request
    entry = reimbursement_post(
        actor=actor,
        partner=claim.partner,
        currency=claim.allocation.fund.currency,
        amount=amount,
        source=f"mdf_claim:{claim.pk}",
        idempotency_key=f"mdf-claim:{claim.pk}",
        explanation={
            "claim": claim.pk,
            "campaign_code": request.campaign_code,
            "activity": request.title,
            "fund": claim.allocation.fund.name,
            "claimed": str(claim.amount),
            "approved": str(amount),
            "actual_cost": str(claim.actual_cost),
        },
    )
    claim.status = MdfClaimStatus.PARTIALLY_APPROVED if partial else MdfClaimStatus.APPROVED
    claim.approved_amount, claim.decision_reason, claim.reimbursement = amount, (reason or "").strip(), entry
    claim.decided_at, claim.decided_by = timezone.now(), actor
    claim.save(
        update_fields=[
            "status", "approved_amount", "decision_reason", "reimbursement", "decided_at", "decided_by", "updated_at"
        ]
    )  # fmt: skip
    audit_record(action="mdf.claim_approve", actor=actor, obj=claim, context={"amount": str(amount), "entry": entry.pk})
    claim_tell(claim=claim, kind=claim.status, actor=actor)
    return claim


def _decide(actor, claim: MdfClaim, status: str, reason: str, action: str) -> MdfClaim:
    claim = _locked(claim)
    _require(claim, {MdfClaimStatus.SUBMITTED}, action)
    decision_record(claim, actor=actor, status=status, reason=reason, audit_action=f"mdf.claim_{status}")
    claim_tell(claim=claim, kind=status, actor=actor)
    return claim


@transaction.atomic
def mdf_claim_reject(*, actor, claim: MdfClaim, reason: str) -> MdfClaim:
    """Refuse a submitted claim; the request's approved amount goes back to the allocation."""
    return _decide(actor, claim, MdfClaimStatus.REJECTED, reason, "rejected")


@transaction.atomic
def mdf_claim_return(*, actor, claim: MdfClaim, reason: str) -> MdfClaim:
    """Send a submitted claim back for changes (more proof, another figure); it can be submitted again."""
    return _decide(actor, claim, MdfClaimStatus.RETURNED, reason, "returned")


def claims_mark_paid(*, payout) -> int:
    """The payout that carried approved claims' reimbursements was paid: those claims are paid (at its time),
    and their partners are told."""
    claims = list(
        MdfClaim.objects.select_for_update(of=("self",))
        .filter(status__in=APPROVED_CLAIM_STATUSES, reimbursement_id__in=payout_entry_ids(payout))
        .select_related("request", "allocation__fund", "partner")
        .order_by("pk")
    )
    paid = MdfClaim.objects.filter(pk__in=[claim.pk for claim in claims]).update(
        status=MdfClaimStatus.PAID, paid_at=payout.paid_at, updated_at=timezone.now()
    )
    for claim in claims:
        claim_tell(claim=claim, kind="paid")
    return paid
