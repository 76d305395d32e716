"""Lead pages: managers list, create and assign leads (by hand or best match, with the factor breakdown);
partners answer the leads passed to them within the SLA and convert accepted ones into registrations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.countries import country_name
from partners.permissions import request_partner
from partners.profile import profile_labels
from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError
from prm.portal.views import form_error_fields

from ..filters.leads import LeadFilter
from ..forms.leads import AssignForm, ConvertForm, FirstActionForm, LeadForm, RejectForm
from ..lead_access import MANAGE, RESPOND, VIEW_ALL, leads_visible_to
from ..lead_matching import FACTORS
from ..models import Lead
from ..selectors.leads import assignable_partners, lead_assignments, lead_deal, lead_match_candidates
from ..services.leads import (
    lead_accept,
    lead_assign,
    lead_assign_best,
    lead_convert,
    lead_create,
    lead_record_first_action,
    lead_reject,
    registration_prefill,
)

PAGE_SIZE = 50
INBOX_CONVERTED = 20  # the most recent converted leads shown in the partner's inbox
FACTOR_LABELS = {
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    "vertical": gettext_lazy("Vertical"),
    "capability": gettext_lazy("Capability"),
    "tier": gettext_lazy("Tier rank"),
    "load": gettext_lazy("Open leads"),
}
PROFILE_FIELD = {"region": "regions", "vertical": "verticals", "capability": "capabilities"}


def factor_rows(factors: dict) -> list[dict]:
    """[{label, value, points}] for a stored or computed factor breakdown, in the matching order."""
    rows = []
    for factor in FACTORS:
        entry = factors.get(factor) or {}
        value = entry.get("value")
        if factor in PROFILE_FIELD:
            value = ", ".join(profile_labels(PROFILE_FIELD[factor], value or []))
        rows.append({"key": factor, "label": FACTOR_LABELS[factor], "value": value, "points": entry.get("points", 0)})
    return rows


def factor_summary(factors: dict) -> str:
    """ "Country +30, Region +15, Open leads -5 = 40" (factors without points left out); '' when chosen by hand."""
    if not factors:
        return ""
    parts = [f"{row['label']} {row['points']:+d}" for row in factor_rows(factors) if row["points"]]
    return f"{', '.join(parts)} = {factors.get('total')}"


# --- Managers ---------------------------------------------------------------------------------------------------
@capability_required(VIEW_ALL)
@require_GET
def lead_index(request):
    filterset = LeadFilter(request.GET or None, queryset=leads_visible_to(request), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "now": timezone.now(), "can_manage": request_can(request, MANAGE)}
    return render(request, "deals/leads/list.html", context)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def lead_new(request):
    form = LeadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                lead = lead_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form_error_fields(form, error)
            else:
                messages.success(request, _("Lead created. Assign it to a partner."))
                return redirect("deals:lead-detail", pk=lead.pk)
    return render(request, "deals/leads/form.html", {"form": form}, status=status)


# --- Detail (both sides) ----------------------------------------------------------------------------------------
def _visible_lead(request, pk: int) -> Lead:
    return get_object_or_404(leads_visible_to(request), pk=pk)


def _vendor_context(request, lead: Lead, assign_form) -> dict:
    assignments = list(lead_assignments(lead))
    open_for_assignment = lead.status in (Lead.Status.NEW, Lead.Status.ASSIGNED)
    candidates = []
    if open_for_assignment:
        had = {assignment.partner_id for assignment in assignments}
        candidates = [
            {"partner": match.partner, "total": match.score.total, "factors": factor_rows(match.score.as_factors())}
            for match in lead_match_candidates(lead=lead, exclude_partner_ids=had)
        ]
    can_manage = request_can(request, MANAGE)
    return {
        "assignments": [{"assignment": a, "why": factor_summary(a.factors)} for a in assignments],
        "candidates": candidates,
        "factor_labels": [FACTOR_LABELS[factor] for factor in FACTORS],
        "can_assign": can_manage and open_for_assignment,
        "assign_form": assign_form or AssignForm(partners=assignable_partners()),
    }


def _partner_context(request, lead: Lead, reject_form, action_form) -> dict:
    return {
        "reject_form": reject_form or RejectForm(),
        "action_form": action_form or FirstActionForm(),
        "can_answer": lead.status == Lead.Status.ASSIGNED,
        "can_act": lead.status == Lead.Status.ACCEPTED,
    }


def _render_detail(request, lead, *, status=200, assign_form=None, reject_form=None, action_form=None):
    vendor = request_can(request, VIEW_ALL)
    context = {
        "lead": lead,
        "vendor": vendor,
        "country": country_name(lead.country) if lead.country else "",
        "labels": {
            field: ", ".join(profile_labels(PROFILE_FIELD[field], [getattr(lead, field)]))
            for field in PROFILE_FIELD
            if getattr(lead, field)
        },
        "now": timezone.now(),
        "currency": request.tenant.currency,
        "deal": lead_deal(lead) if lead.status == Lead.Status.CONVERTED else None,
    }
    if vendor:
        context |= _vendor_context(request, lead, assign_form)
    else:
        context |= _partner_context(request, lead, reject_form, action_form)
    return render(request, "deals/leads/detail.html", context, status=status)


@member_required
@require_GET
def lead_detail(request, pk: int):
    return _render_detail(request, _visible_lead(request, pk))


@capability_required(MANAGE)
@require_POST
def lead_assign_view(request, pk: int):
    lead = _visible_lead(request, pk)
    form = None
    try:
        if request.POST.get("best"):
            lead = lead_assign_best(lead=lead, actor=request.user)
        else:
            form = AssignForm(request.POST, partners=assignable_partners())
            if not form.is_valid():
                return _render_detail(request, lead, status=400, assign_form=form)
            lead = lead_assign(lead=lead, partner=form.cleaned_data["partner"], actor=request.user)
    except DomainError as error:
        if form is not None and "partner" in error.fields:
            form_error_fields(form, error)
            return _render_detail(request, lead, status=error.status, assign_form=form)
        messages.error(request, error.message)
        return redirect("deals:lead-detail", pk=pk)
    messages.success(request, _("Lead assigned to %(partner)s.") % {"partner": lead.partner.name})
    return redirect("deals:lead-detail", pk=pk)


# --- Partners ---------------------------------------------------------------------------------------------------
@capability_required(RESPOND)
@require_GET
def lead_inbox(request):
    """The leads with the signed-in user's partner: to answer, accepted, converted."""
    if request_partner(request) is None:
        raise PermissionDenied
    leads = leads_visible_to(request)
    open_leads = list(
        leads.filter(status__in=(Lead.Status.ASSIGNED, Lead.Status.ACCEPTED)).order_by("accept_due_at", "id")
    )
    context = {
        "to_answer": [lead for lead in open_leads if lead.status == Lead.Status.ASSIGNED],
        "working": [lead for lead in open_leads if lead.status == Lead.Status.ACCEPTED],
        "converted": list(leads.filter(status=Lead.Status.CONVERTED)[:INBOX_CONVERTED]),
        "now": timezone.now(),
    }
    return render(request, "deals/leads/inbox.html", context)


def _answer(request, pk: int, service, done: str, *, form_class=None, form_slot=None, **arguments):
    lead = _visible_lead(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None:
        if not form.is_valid():
            return _render_detail(request, lead, status=400, **{form_slot: form})
        arguments |= form.cleaned_data
    try:
        service(lead=lead, actor=request.user, **arguments)
    except DomainError as error:
        if form is not None and set(error.fields) & set(form.fields):
            form_error_fields(form, error)
            return _render_detail(request, lead, status=error.status, **{form_slot: form})
        messages.error(request, error.message)
        return redirect("deals:lead-detail", pk=pk)
    messages.success(request, done)
    return redirect("deals:lead-detail", pk=pk)


@capability_required(RESPOND)
@require_POST
def lead_accept_view(request, pk: int):
    return _answer(request, pk, lead_accept, _("Lead accepted. It is yours to work on."))


@capability_required(RESPOND)
@require_POST
def lead_reject_view(request, pk: int):
    return _answer(
        request,
        pk,
        lead_reject,
        _("Lead rejected; the vendor has been told why."),
        form_class=RejectForm,
        form_slot="reject_form",
    )


@capability_required(RESPOND)
@require_POST
def lead_first_action_view(request, pk: int):
    return _answer(
        request,
        pk,
        lead_record_first_action,
        _("Noted. Thank you for following up."),
        form_class=FirstActionForm,
        form_slot="action_form",
    )


@capability_required(RESPOND)
@require_http_methods(["GET", "POST"])
def lead_convert_view(request, pk: int):
    lead = _visible_lead(request, pk)
    if lead.status != Lead.Status.ACCEPTED:
        messages.error(request, _("Only an accepted lead can become a registration."))
        return redirect("deals:lead-detail", pk=pk)
    form = ConvertForm(request.POST or None, initial=registration_prefill(lead))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                deal = lead_convert(lead=lead, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form_error_fields(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Registration for %(customer)s created as a draft; submit it from your deals.")
                    % {"customer": deal.customer_name},
                )
                return redirect("deals:lead-detail", pk=pk)
    return render(request, "deals/leads/convert.html", {"lead": lead, "form": form}, status=status)


def register_nav() -> None:
    from prm.portal.navigation import NavItem, register_nav_item

    register_nav_item(NavItem("deals.leads", gettext_lazy("Leads"), "deals:lead-list", VIEW_ALL, order=32))
    register_nav_item(NavItem("deals.lead-inbox", gettext_lazy("Leads"), "deals:lead-inbox", RESPOND, order=32))


urlpatterns = [
    path("leads/", lead_index, name="lead-list"),
    path("leads/new", lead_new, name="lead-create"),
    path("leads/inbox/", lead_inbox, name="lead-inbox"),
    path("leads/<int:pk>/", lead_detail, name="lead-detail"),
    path("leads/<int:pk>/assign", lead_assign_view, name="lead-assign"),
    path("leads/<int:pk>/accept", lead_accept_view, name="lead-accept"),
    path("leads/<int:pk>/reject", lead_reject_view, name="lead-reject"),
    path("leads/<int:pk>/first-action", lead_first_action_view, name="lead-first-action"),
    path("leads/<int:pk>/convert", lead_convert_view, name="lead-convert"),
]
