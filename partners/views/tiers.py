"""Tier pages: a partner's own tier ("Tier") and the same page per partner for vendor staff, with pins
and approvals for managers; the vendor's list of recent tier changes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prm.accounts.permissions import capability_required, request_can
from prm.errors import DomainError
from prm.portal.views import form_error_fields

from ..forms.tiers import TierPinForm
from ..metrics import metric_get
from ..models import Partner, TierChange
from ..selectors import tier_change_list, tier_progress_for
from ..selectors.tiers import tier_change_pending_of
from ..services import tier_change_approve, tier_change_reject, tier_pin_clear, tier_pin_set
from ..services.tiers import tenant_today
from .company import own_partner

HISTORY_LIMIT = 50
CHANGES_PAGE = 100


def _metric_display(key: str) -> tuple[str, str]:
    try:
        metric = metric_get(key)
    except KeyError:
        return key, ""
    return str(metric.label), metric.unit


def _rows(criteria) -> list[dict]:
    rows = []
    for item in criteria:
        label, unit = _metric_display(item.metric)
        rows.append({"item": item, "label": label, "unit": unit})
    return rows


def tier_context(partner: Partner) -> dict:
    progress, _values, tiers = tier_progress_for(partner, today=tenant_today())
    return {
        "partner": partner,
        "progress": progress,
        "tiers": tiers,
        "current_rows": _rows(progress.current_criteria),
        "next_rows": _rows(progress.next_criteria),
        "history": list(tier_change_list().filter(partner=partner)[:HISTORY_LIMIT]),
        "pending": tier_change_pending_of(partner),
    }


@capability_required("partner.company")
@require_GET
def tier_mine(request):
    return render(request, "partners/tier.html", {**tier_context(own_partner(request)), "vendor_view": False})


def _vendor_partner(pk: int) -> Partner:
    return get_object_or_404(Partner.objects.select_related("program", "tier", "channel_manager"), pk=pk)


def _vendor_page(request, partner: Partner, pin_form=None):
    can_manage = request_can(request, "partners.manage")
    context = {
        **tier_context(partner),
        "vendor_view": True,
        "can_manage": can_manage,
        "pin_form": pin_form or (TierPinForm(partner=partner) if can_manage else None),
    }
    return render(request, "partners/tier.html", context, status=400 if pin_form is not None else 200)


@capability_required("partners.view_all")
@require_GET
def partner_tier(request, pk: int):
    return _vendor_page(request, _vendor_partner(pk))


@capability_required("partners.manage")
@require_POST
def partner_tier_pin(request, pk: int):
    partner = _vendor_partner(pk)
    form = TierPinForm(request.POST, partner=partner)
    if form.is_valid():
        try:
            tier_pin_set(partner=partner, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Tier pinned."))
            return redirect("partners:partner-tier", pk=partner.pk)
    return _vendor_page(request, partner, pin_form=form)


@capability_required("partners.manage")
@require_POST
def partner_tier_unpin(request, pk: int):
    partner = _vendor_partner(pk)
    try:
        tier_pin_clear(partner=partner, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pin removed; the next evaluation decides the tier."))
    return redirect("partners:partner-tier", pk=partner.pk)


CHANGE_ACTIONS = {"approve": tier_change_approve, "reject": tier_change_reject}


@capability_required("partners.manage")
@require_POST
def tier_change_action(request, pk: int, action: str):
    service = CHANGE_ACTIONS.get(action)
    if service is None:
        raise Http404
    change = get_object_or_404(TierChange.objects.all(), pk=pk)
    try:
        service(tier_change=change, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done = _("Promotion approved.") if action == "approve" else _("Promotion rejected.")
        messages.success(request, done)
    target = request.POST.get("next")
    if target == "list":
        return redirect("partners:tier-changes")
    return redirect("partners:partner-tier", pk=change.partner_id)


@capability_required("partners.view_all")
@require_GET
def tier_changes(request):
    status = request.GET.get("status", "")
    changes = tier_change_list()
    if status in TierChange.Status.values:
        changes = changes.filter(status=status)
    context = {
        "changes": list(changes[:CHANGES_PAGE]),
        "status": status,
        "statuses": TierChange.Status.choices,
        "can_manage": request_can(request, "partners.manage"),
    }
    return render(request, "partners/tier_changes.html", context)


urlpatterns = [
    path("tier/", tier_mine, name="tier-mine"),
    path("tier-changes/", tier_changes, name="tier-changes"),
    path("tier-changes/<int:pk>/<slug:action>", tier_change_action, name="tier-change-action"),
    path("partners/<int:pk>/tier/", partner_tier, name="partner-tier"),
    path("partners/<int:pk>/tier/pin", partner_tier_pin, name="partner-tier-pin"),
    path("partners/<int:pk>/tier/unpin", partner_tier_unpin, name="partner-tier-unpin"),
]
