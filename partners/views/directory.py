"""Vendor-side partner pages: the directory, one partner's page with its lifecycle actions, coverage."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prm.accounts.permissions import capability_required, request_can
from prm.errors import DomainError

from .. import services
from ..filters.partners import PartnerFilterSet
from ..forms.company import DIMENSION_LABELS, CoverageForm, ManagerForm, ReasonForm
from ..models import Partner
from ..selectors import coverage_matrix, partner_directory, partner_people, partner_status_history
from ..selectors.company import partner_pipeline
from ..services.company import LIFECYCLE_ACTIONS, REASON_REQUIRED, lifecycle_actions_for
from .company import profile_context

PAGE_SIZE = 25


def _filter_query(request, *, drop=("page",)) -> str:
    """The current query string without `drop` (to carry the filters into pagination and links)."""
    params = [(key, value) for key in request.GET if key not in drop for value in request.GET.getlist(key)]
    return urlencode(params)


@capability_required("partners.view_all")
@require_GET
def directory(request):
    filterset = PartnerFilterSet(request.GET, queryset=partner_directory(Partner.objects.all()), request=request)
    partners = filterset.qs if filterset.is_valid() else Partner.objects.none()
    page = Paginator(partners.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filterset": filterset, "form": filterset.form, "page": page, "query": _filter_query(request)}
    return render(request, "partners/company/directory.html", context)


def _vendor_partner(pk: int) -> Partner:
    return get_object_or_404(partner_directory(Partner.objects.all()), pk=pk)


@capability_required("partners.view_all")
@require_GET
def partner_detail(request, pk: int):
    partner = _vendor_partner(pk)
    manages = request_can(request, "partners.manage")
    actions = [
        {"name": name, "needs_reason": name in REASON_REQUIRED, "target": LIFECYCLE_ACTIONS[name][1]}
        for name in lifecycle_actions_for(partner.status)
    ]
    context = {
        "partner": partner,
        **profile_context(partner),
        "people": partner_people(partner),
        "history": partner_status_history(partner),
        "manages": manages,
        "actions": actions if manages else [],
        "manager_form": ManagerForm(initial={"channel_manager": partner.channel_manager_id}) if manages else None,
    }
    return render(request, "partners/company/partner_detail.html", context)


@capability_required("partners.manage")
@require_POST
def partner_action(request, pk: int, action: str):
    partner = _vendor_partner(pk)
    if action not in LIFECYCLE_ACTIONS:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.partner_lifecycle_action(partner=partner, actor=request.user, action=action, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Status changed."))
    return redirect("partners:partner-detail", pk=partner.pk)


@capability_required("partners.manage")
@require_POST
def partner_manager(request, pk: int):
    partner = _vendor_partner(pk)
    form = ManagerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an active member of the vendor's team."))
        return redirect("partners:partner-detail", pk=partner.pk)
    try:
        services.partner_assign_manager(
            partner=partner, actor=request.user, manager=form.cleaned_data["channel_manager"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Channel manager saved."))
    return redirect("partners:partner-detail", pk=partner.pk)


@capability_required("partners.view_all")
@require_GET
def coverage(request):
    axes = CoverageForm(request.GET if "rows" in request.GET else {"rows": "region", "cols": "capability"})
    filterset = PartnerFilterSet(request.GET, queryset=Partner.objects.all(), request=request)
    matrix = None
    if axes.is_valid() and filterset.is_valid():
        rows, cols = axes.cleaned_data["rows"], axes.cleaned_data["cols"]
        result = coverage_matrix(filterset.qs, rows=rows, cols=cols)
        base = _filter_query(request, drop=("page", "rows", "cols", rows, cols))
        directory_url = reverse("partners:directory")

        def link(**params) -> str:
            extra = urlencode(params)
            return f"{directory_url}?{'&'.join(part for part in (base, extra) if part)}"

        matrix = {
            "row_label": DIMENSION_LABELS[rows],
            "col_label": DIMENSION_LABELS[cols],
            "cols": [
                {"label": label, "total": result.col_totals.get(value, 0), "url": link(**{cols: value})}
                for value, label in result.cols
            ],
            "rows": [
                {
                    "label": label,
                    "total": result.row_totals.get(value, 0),
                    "url": link(**{rows: value}),
                    "cells": [
                        {"count": result.cells.get((value, col), 0), "url": link(**{rows: value, cols: col})}
                        for col, _label in result.cols
                    ],
                }
                for value, label in result.rows
            ],
            "total": result.total,
            "total_url": link(),
        }
    context = {"axes": axes, "filterset": filterset, "form": filterset.form, "matrix": matrix}
    return render(request, "partners/company/coverage.html", context)


def pipeline_panel(request) -> dict:
    return partner_pipeline()


urlpatterns = [
    path("partners/", directory, name="directory"),
    path("coverage/", coverage, name="coverage"),
    path("partners/<int:pk>/", partner_detail, name="partner-detail"),
    path("partners/<int:pk>/status/<slug:action>", partner_action, name="partner-action"),
    path("partners/<int:pk>/manager", partner_manager, name="partner-manager"),
]
