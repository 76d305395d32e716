"""Request pages: a partner asks pre-approval for an activity (a draft to change until it is submitted, the
cap it must fit), then claims the approved amount; a manager approves it (in full or in part), rejects it or
returns it for changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.permissions import request_partner
from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError

from ..forms import ClaimForm, ReasonForm, RequestApproveForm, RequestForm
from ..models import APPROVED_REQUEST_STATUSES, EDITABLE_REQUEST_STATUSES, MdfRequestStatus
from ..rules import request_cap
from ..selectors import (
    allocation_balance,
    allocation_balances,
    allocations_visible_to,
    is_review_overdue,
    requests_visible_to,
    with_claim,
)
from ..services import (
    mdf_claim_create,
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
    mdf_request_update,
)
from .common import claim_by, form_errors


def _reimbursement_pct(partner):
    return partner.tier.mdf_reimbursement_cap_pct if partner.tier else None


def _request_form(request, partner, mdf_request=None) -> RequestForm:
    allocations = allocations_visible_to(request).filter(partner=partner, expired_at__isnull=True)
    return RequestForm(
        request.POST or None,
        instance=mdf_request,
        allocations=allocations,
        balances=allocation_balances(allocations),
    )


def _form_page(request, partner, form, mdf_request, *, save):
    """The request form: on a valid POST `save` the draft, and submit it when asked; a refused submit keeps
    nothing (the form shows why)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = save(actor=request.user, **form.values())
                    if "submit" in request.POST:
                        saved = mdf_request_submit(actor=request.user, request=saved)
            except DomainError as error:
                form_errors(form, error)
                status = error.status
            else:
                if saved.status == MdfRequestStatus.SUBMITTED:
                    messages.success(request, _("Your request was submitted for review."))
                else:
                    messages.success(request, _("Your request was saved as a draft."))
                return redirect("mdf:request-detail", pk=saved.pk)
    context = {
        "form": form,
        "mdf_request": mdf_request,
        "partner": partner,
        "reimbursement_pct": _reimbursement_pct(partner),
    }
    return render(request, "mdf/request_form.html", context, status=status)


def _own_partner(request):
    partner = request_partner(request)
    if partner is None:
        raise PermissionDenied
    return partner


@capability_required("mdf.use")
@require_http_methods(["GET", "POST"])
def request_new(request):
    partner = _own_partner(request)
    form = _request_form(request, partner)
    return _form_page(request, partner, form, None, save=lambda **kw: mdf_request_create(partner=partner, **kw))


def _visible(request, pk: int):
    return get_object_or_404(
        with_claim(requests_visible_to(request).select_related("partner__tier", "requested_by", "decided_by")), pk=pk
    )


@capability_required("mdf.use")
@require_http_methods(["GET", "POST"])
def request_edit(request, pk: int):
    mdf_request = _visible(request, pk)
    if mdf_request.status not in EDITABLE_REQUEST_STATUSES:
        messages.error(request, _("Only a draft or a returned request can be changed."))
        return redirect("mdf:request-detail", pk=pk)
    partner = mdf_request.partner
    form = _request_form(request, partner, mdf_request)
    return _form_page(
        request, partner, form, mdf_request, save=lambda **kw: mdf_request_update(request=mdf_request, **kw)
    )


def _detail(request, mdf_request, *, status=200, **forms):
    balance = allocation_balance(mdf_request.allocation)
    pct = _reimbursement_pct(mdf_request.partner)
    approved = mdf_request.status in APPROVED_REQUEST_STATUSES
    context = {
        "mdf_request": mdf_request,
        "currency": mdf_request.allocation.fund.currency,
        "balance": balance,
        "reimbursement_pct": pct,
        "cap": request_cap(mdf_request.planned_cost, pct, balance.available),
        "vendor": request_can(request, "mdf.view_all"),
        "overdue": is_review_overdue(mdf_request),
        "can_change": request_can(request, "mdf.use") and mdf_request.status in EDITABLE_REQUEST_STATUSES,
        "can_claim": request_can(request, "mdf.use") and approved and mdf_request.claim_pk is None,
        "claim_by": (mdf_request.claim_due or claim_by(mdf_request)) if approved else None,
        "can_decide": request_can(request, "mdf.manage") and mdf_request.status == MdfRequestStatus.SUBMITTED,
        "claim_form": forms.get("claim_form") or ClaimForm(auto_id="claim_%s"),
        "approve_form": forms.get("approve_form") or RequestApproveForm(auto_id="approve_%s"),
        "reject_form": forms.get("reject_form") or ReasonForm(auto_id="reject_%s"),
        "return_form": forms.get("return_form") or ReasonForm(auto_id="return_%s"),
    }
    return render(request, "mdf/request_detail.html", context, status=status)


@member_required
@require_GET
def request_detail(request, pk: int):
    return _detail(request, _visible(request, pk))


@capability_required("mdf.use")
@require_POST
def request_submit(request, pk: int):
    mdf_request = _visible(request, pk)
    try:
        mdf_request_submit(actor=request.user, request=mdf_request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request was submitted for review."))
    return redirect("mdf:request-detail", pk=pk)


@capability_required("mdf.use")
@require_POST
def request_claim(request, pk: int):
    """A draft claim of the approved request, with the actual cost and the amount; the proof comes next."""
    mdf_request = _visible(request, pk)
    form = ClaimForm(request.POST, auto_id="claim_%s")
    if not form.is_valid():
        return _detail(request, mdf_request, status=400, claim_form=form)
    try:
        claim = mdf_claim_create(actor=request.user, request=mdf_request, **form.cleaned_data)
    except DomainError as error:
        if error.status != 400:
            messages.error(request, error.message)
            return redirect("mdf:request-detail", pk=pk)
        form_errors(form, error)
        return _detail(request, mdf_request, status=400, claim_form=form)
    messages.success(request, _("Your claim was started: attach the invoice and the proof, then submit it."))
    return redirect("mdf:claim-detail", pk=claim.pk)


DECISIONS = {
    "approve": (RequestApproveForm, "approve_form", mdf_request_approve),
    "reject": (ReasonForm, "reject_form", mdf_request_reject),
    "return": (ReasonForm, "return_form", mdf_request_return),
}
DONE = {
    "approve": lambda: _("The request was approved."),
    "reject": lambda: _("The request was rejected."),
    "return": lambda: _("The request was returned to the partner for changes."),
}


@capability_required("mdf.manage")
@require_POST
def request_decide(request, pk: int, decision: str):
    mdf_request = _visible(request, pk)
    if decision not in DECISIONS:
        raise Http404
    form_class, slot, service = DECISIONS[decision]
    form = form_class(request.POST, auto_id=f"{decision}_%s")
    if not form.is_valid():
        return _detail(request, mdf_request, status=400, **{slot: form})
    try:
        service(actor=request.user, request=mdf_request, **form.cleaned_data)
    except DomainError as error:
        if error.status != 400:
            messages.error(request, error.message)
            return redirect("mdf:request-detail", pk=pk)
        form_errors(form, error)
        return _detail(request, mdf_request, status=400, **{slot: form})
    messages.success(request, DONE[decision]())
    return redirect("mdf:request-detail", pk=pk)


urlpatterns = [
    path("mdf/requests/new", request_new, name="request-new"),
    path("mdf/requests/<int:pk>/", request_detail, name="request-detail"),
    path("mdf/requests/<int:pk>/edit", request_edit, name="request-edit"),
    path("mdf/requests/<int:pk>/submit", request_submit, name="request-submit"),
    path("mdf/requests/<int:pk>/claim", request_claim, name="request-claim"),
    path("mdf/requests/<int:pk>/<slug:decision>", request_decide, name="request-decide"),
]
