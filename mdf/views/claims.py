"""Claim pages: the partner sets the figures, uploads the proof (the kinds still missing are listed; a refused
file is explained and nothing of it is kept) and submits; a manager reads the proof, approves (in full or in
part), rejects or returns the claim, or gives more time to claim. Proof files are served only through the
download view, to the users who may see the claim."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partners.services.tiers import tenant_today
from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError
from prm.files.responses import attachment_response

from ..forms import AttachmentForm, ClaimApproveForm, ClaimForm, ExtendForm, ReasonForm
from ..models import OPEN_CLAIM_STATUSES, MdfClaimStatus, MdfRequestStatus, ProofKind
from ..rules import claim_cap
from ..selectors import attachments_visible_to, campaign_lead_count, claims_visible_to, is_review_overdue
from ..services import (
    claim_attachment_add,
    claim_attachment_remove,
    mdf_claim_approve,
    mdf_claim_extend,
    mdf_claim_reject,
    mdf_claim_return,
    mdf_claim_submit,
    mdf_claim_update,
    missing_proof,
)
from .common import form_errors


def _visible(request, pk: int):
    claims = claims_visible_to(request).select_related("partner__tier", "reimbursement", "decided_by")
    return get_object_or_404(claims, pk=pk)


def _detail(request, claim, *, status=200, **forms):
    lapsed = claim.request.status == MdfRequestStatus.LAPSED  # its money was released: the claim cannot go ahead
    editable = claim.status in OPEN_CLAIM_STATUSES and not lapsed
    partner_may = request_can(request, "mdf.use") and editable
    manager = request_can(request, "mdf.manage")
    tier = claim.partner.tier
    pct = tier.mdf_reimbursement_cap_pct if tier else None
    paid_days = (claim.paid_at - claim.submitted_at).days if claim.paid_at and claim.submitted_at else None
    context = {
        "claim": claim,
        "mdf_request": claim.request,
        "lapsed": lapsed,
        "currency": claim.allocation.fund.currency,
        "attachments": list(claim.attachments.select_related("uploaded_by")),
        "missing": [ProofKind(kind).label for kind in missing_proof(claim)] if editable else [],
        "required": [ProofKind(kind).label for kind in claim.request.activity_type.required_proof],
        "leads": campaign_lead_count(claim.request),
        "cap": claim_cap(claim.actual_cost, pct, claim.request.approved_amount),
        "window_closed": editable and tenant_today() > claim.due_on,
        "overdue": is_review_overdue(claim),
        "paid_days": paid_days,
        "vendor": request_can(request, "mdf.view_all"),
        "can_change": partner_may,
        "can_decide": manager and claim.status == MdfClaimStatus.SUBMITTED,
        "can_extend": manager and editable,
        "claim_form": forms.get("claim_form")
        or ClaimForm(
            initial={"actual_cost": claim.actual_cost, "amount": claim.amount, "notes": claim.notes}, auto_id="claim_%s"
        ),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(auto_id="proof_%s"),
        "approve_form": forms.get("approve_form") or ClaimApproveForm(auto_id="approve_%s"),
        "reject_form": forms.get("reject_form") or ReasonForm(auto_id="reject_%s"),
        "return_form": forms.get("return_form") or ReasonForm(auto_id="return_%s"),
        "extend_form": forms.get("extend_form") or ExtendForm(auto_id="extend_%s"),
    }
    return render(request, "mdf/claim_detail.html", context, status=status)


@member_required
@require_GET
def claim_detail(request, pk: int):
    return _detail(request, _visible(request, pk))


def _run(request, claim, form, slot, service, done: str, **arguments):
    """Run one claim service from the claim page: bad input shows the form again (400, or the upload's 413 /
    415) with the service's messages; a refused transition is a message."""
    try:
        service(actor=request.user, claim=claim, **arguments)
    except DomainError as error:
        if error.status in (409, 403) or form is None:
            messages.error(request, error.message)
            return redirect("mdf:claim-detail", pk=claim.pk)
        form_errors(form, error)
        return _detail(request, claim, status=error.status, **{slot: form})
    messages.success(request, done)
    return redirect("mdf:claim-detail", pk=claim.pk)


@capability_required("mdf.use")
@require_POST
def claim_edit(request, pk: int):
    claim = _visible(request, pk)
    form = ClaimForm(request.POST, auto_id="claim_%s")
    if not form.is_valid():
        return _detail(request, claim, status=400, claim_form=form)
    return _run(request, claim, form, "claim_form", mdf_claim_update, _("The claim was saved."), **form.cleaned_data)


@capability_required("mdf.use")
@require_POST
def claim_upload(request, pk: int):
    claim = _visible(request, pk)
    form = AttachmentForm(request.POST, request.FILES, auto_id="proof_%s")
    if not form.is_valid():
        return _detail(request, claim, status=400, attachment_form=form)
    return _run(
        request,
        claim,
        form,
        "attachment_form",
        claim_attachment_add,
        _("The file was added to the claim."),
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
    )


@capability_required("mdf.use")
@require_POST
def attachment_remove(request, pk: int):
    attachment = get_object_or_404(attachments_visible_to(request), pk=pk)
    try:
        claim_attachment_remove(actor=request.user, attachment=attachment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("mdf:claim-detail", pk=attachment.claim_id)


@member_required
@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(attachments_visible_to(request), pk=pk)
    return attachment_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@capability_required("mdf.use")
@require_POST
def claim_submit(request, pk: int):
    claim = _visible(request, pk)
    return _run(request, claim, None, "", mdf_claim_submit, _("Your claim was submitted for review."))


DECISIONS = {
    "approve": (ClaimApproveForm, mdf_claim_approve),
    "reject": (ReasonForm, mdf_claim_reject),
    "return": (ReasonForm, mdf_claim_return),
    "extend": (ExtendForm, mdf_claim_extend),
}
DONE = {
    "approve": lambda: _("The claim was approved; the reimbursement is posted for payment."),
    "reject": lambda: _("The claim was rejected."),
    "return": lambda: _("The claim was returned to the partner for changes."),
    "extend": lambda: _("The partner has more time to claim."),
}


@capability_required("mdf.manage")
@require_POST
def claim_decide(request, pk: int, decision: str):
    claim = _visible(request, pk)
    if decision not in DECISIONS:
        raise Http404
    form_class, service = DECISIONS[decision]
    slot = f"{decision}_form"
    form = form_class(request.POST, auto_id=f"{decision}_%s")
    if not form.is_valid():
        return _detail(request, claim, status=400, **{slot: form})
    return _run(request, claim, form, slot, service, DONE[decision](), **form.cleaned_data)


urlpatterns = [
    path("mdf/claims/<int:pk>/", claim_detail, name="claim-detail"),
    path("mdf/claims/<int:pk>/edit", claim_edit, name="claim-edit"),
    path("mdf/claims/<int:pk>/attachments", claim_upload, name="claim-upload"),
    path("mdf/claims/<int:pk>/submit", claim_submit, name="claim-submit"),
    path("mdf/claims/<int:pk>/<slug:decision>", claim_decide, name="claim-decide"),
    path("mdf/attachments/<int:pk>/download", attachment_download, name="attachment-download"),
    path("mdf/attachments/<int:pk>/remove", attachment_remove, name="attachment-remove"),
]
