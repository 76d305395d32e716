"""Onboarding pages: the partner's checklist and agreement, the vendor's overview and per-partner checklist."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts.permissions import capability_required, request_can
from prm.errors import DomainError
from prm.portal.dashboard import Panel, register_panel
from prm.portal.navigation import NavItem, register_nav_item
from prm.portal.views import is_htmx

from ..models import Agreement, OnboardingStep, Partner
from ..permissions import request_partner
from ..selectors.agreements import agreement_acceptances_of, agreement_current
from ..selectors.checklist import onboarding_in_progress, onboarding_status_of, step_is_manual
from ..services.agreements import agreement_accept
from ..services.checklist import onboarding_step_complete_manual, onboarding_step_undo_manual
from ..step_kinds import ACCEPT_AGREEMENT, COMPLETE_PROFILE, INVITE_REP, UPLOAD_LOGO
from .company import own_partner

# Step kinds with an obvious page where the partner does the step; other kinds are described.
STEP_LINKS = {
    ACCEPT_AGREEMENT: "partners:agreement",
    COMPLETE_PROFILE: "partners:company",
    UPLOAD_LOGO: "partners:company",
    INVITE_REP: "partners:people",
}
AT_RISK_ON_DASHBOARD = 5


class AcceptForm(forms.Form):
    agreement = forms.IntegerField(min_value=1)


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


# --- Partner side -------------------------------------------------------------------------
@capability_required("partner.company")
@require_http_methods(["GET", "POST"])
def agreement(request):
    """The current agreement version in full; partner admins accept it here (and are sent here until they do)."""
    partner = own_partner(request)
    current = agreement_current(partner.program_id)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    error = None
    if request.method == "POST":
        if not request_can(request, "partner.manage_company"):
            raise PermissionDenied
        form = AcceptForm(request.POST)
        shown = None
        if form.is_valid():
            shown = Agreement.objects.filter(pk=form.cleaned_data["agreement"], published_at__isnull=False).first()
        try:
            if shown is None:
                raise DomainError(_("This version of the agreement is not available; read the current one below."))
            agreement_accept(partner=partner, user=request.user, ip_address=_client_ip(request), agreement=shown)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Thank you: the agreement is accepted."))
            return redirect(next_url or "partners:onboarding")
    acceptances = list(agreement_acceptances_of(partner))
    mine = None
    if current is not None:
        mine = next((a for a in acceptances if a.agreement_id == current.pk and a.user_id == request.user.pk), None)
    context = {
        "partner": partner,
        "agreement": current,
        "accepted": mine,
        "can_accept": request_can(request, "partner.manage_company"),
        "acceptances": acceptances,
        "next": next_url,
        "error": error,
    }
    return render(request, "partners/agreement.html", context)


@capability_required("partner.company")
@require_GET
def onboarding(request):
    partner = own_partner(request)
    status = onboarding_status_of(partner)
    for step in status.steps:
        step.link = reverse(STEP_LINKS[step.kind]) if step.kind in STEP_LINKS else ""
    context = {"partner": partner, "status": status, "acceptances": agreement_acceptances_of(partner)}
    return render(request, "partners/onboarding.html", context)


# --- Vendor side --------------------------------------------------------------------------
@capability_required("partners.view_all")
@require_GET
def onboarding_overview(request):
    return render(request, "partners/onboarding_overview.html", {"rows": onboarding_in_progress()})


def _vendor_partner(pk: int) -> Partner:
    return get_object_or_404(Partner.objects.select_related("program", "channel_manager"), pk=pk)


@capability_required("partners.view_all")
@require_GET
def onboarding_partner(request, pk: int):
    partner = _vendor_partner(pk)
    context = {
        "partner": partner,
        "status": onboarding_status_of(partner),
        "current_agreement": agreement_current(partner.program_id),
        "acceptances": agreement_acceptances_of(partner),
        "can_manage": request_can(request, "partners.manage"),
    }
    return render(request, "partners/onboarding_partner.html", context)


STEP_ACTIONS = {"complete": onboarding_step_complete_manual, "undo": onboarding_step_undo_manual}


@capability_required("partners.manage")
@require_POST
def onboarding_step_action(request, pk: int, step_id: int, action: str):
    service = STEP_ACTIONS.get(action)
    if service is None:
        raise Http404
    step = get_object_or_404(OnboardingStep.objects.filter(partner_id=pk), pk=step_id)
    error = done = None
    try:
        step = service(step=step, actor=request.user)
    except DomainError as exc:
        error = exc.message
    else:
        done = _("Ticked off.") if action == "complete" else _("Tick taken back.")
    if is_htmx(request):
        step = OnboardingStep.objects.select_related("completed_by").get(pk=step.pk)
        step.is_manual = step_is_manual(step)
        context = {"step": step, "partner_id": pk, "can_manage": True, "row_error": error, "row_notice": done}
        return render(request, "partners/partials/onboarding_step_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("partners:onboarding-partner", pk=pk)


urlpatterns = [
    path("agreement/", agreement, name="agreement"),
    path("onboarding/", onboarding, name="onboarding"),
    path("onboarding/partners/", onboarding_overview, name="onboarding-overview"),
    path("onboarding/partners/<int:pk>/", onboarding_partner, name="onboarding-partner"),
    path(
        "onboarding/partners/<int:pk>/steps/<int:step_id>/<slug:action>",
        onboarding_step_action,
        name="onboarding-step-action",
    ),
]


# --- Navigation and dashboard panels --------------------------------------------------------
def _your_onboarding(request) -> dict:
    partner = request_partner(request)
    if partner is None:
        return {}
    status = onboarding_status_of(partner)
    next_step = status.next_step
    link = reverse(STEP_LINKS[next_step.kind]) if next_step and next_step.kind in STEP_LINKS else ""
    return {"partner": partner, "status": status, "next_step": next_step, "next_link": link}


def _onboarding_at_risk(request) -> dict:
    rows = onboarding_in_progress()
    at_risk = [row for row in rows if row.pace.over_target or row.pace.stalled]
    return {"in_onboarding": len(rows), "at_risk_count": len(at_risk), "at_risk": at_risk[:AT_RISK_ON_DASHBOARD]}


def register_nav_and_panels() -> None:
    label = gettext_lazy("Onboarding")
    register_nav_item(NavItem("onboarding", label, "partners:onboarding", "partner.company", order=20))
    register_nav_item(
        NavItem("onboarding-overview", label, "partners:onboarding-overview", "partners.view_all", order=30)
    )
    register_panel(
        Panel("your_onboarding", "partners/panels/your_onboarding.html", "partner.company", _your_onboarding, order=5)
    )
    register_panel(
        Panel(
            "onboarding_at_risk",
            "partners/panels/onboarding_at_risk.html",
            "partners.view_all",
            _onboarding_at_risk,
            order=15,
            wide=True,
        )
    )
