"""Joint business plans: managers write them; vendor staff and the partner's admins read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError
from prm.portal.views import form_error_fields

from .. import services
from ..access import can_manage_plans, can_view_plans
from ..forms.company import BusinessPlanForm, GoalForm, QbrNoteForm
from ..models import BusinessPlan, BusinessPlanGoal, Partner
from ..permissions import partners_visible_to
from ..selectors import business_plan_list, business_plan_progress
from .company import own_partner


def _with_progress(plans) -> list[dict]:
    return [{"plan": plan, "progress": business_plan_progress(plan)} for plan in plans]


@capability_required("partner.manage_company")
@require_GET
def company_plans(request):
    """The partner side: its own plans, goals with progress, QBR notes (read-only)."""
    partner = own_partner(request)
    plans = business_plan_list(Partner.objects.filter(pk=partner.pk))
    return render(request, "partners/company/company_plans.html", {"partner": partner, "plans": _with_progress(plans)})


@capability_required("partners.view_all")
@require_http_methods(["GET", "POST"])
def partner_plans(request, pk: int):
    """One partner's plans (vendor side); managers add a plan here."""
    partner = get_object_or_404(Partner.objects.all(), pk=pk)
    manages = can_manage_plans(request)
    if request.method == "POST" and not manages:
        raise PermissionDenied
    form = BusinessPlanForm(request.POST or None) if manages else None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.business_plan_create(partner=partner, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Business plan created."))
            return redirect("partners:plan-detail", pk=plan.pk)
    plans = business_plan_list(Partner.objects.filter(pk=partner.pk))
    context = {"partner": partner, "plans": plans, "form": form}
    return render(request, "partners/company/partner_plans.html", context)


def _visible_plan(request, pk: int) -> BusinessPlan:
    """A plan of a partner the request sees and may read plans of; anything else is a 404."""
    plan = get_object_or_404(business_plan_list(partners_visible_to(request)), pk=pk)
    if not can_view_plans(request, plan.partner):
        raise PermissionDenied
    return plan


def _managed_plan(request, pk: int) -> BusinessPlan:
    plan = _visible_plan(request, pk)
    if not can_manage_plans(request):
        raise PermissionDenied
    return plan


def _render_plan(request, plan, *, plan_form=None, goal_form=None, qbr_form=None, status=200):
    manages = can_manage_plans(request)
    context = {
        "plan": plan,
        "partner": plan.partner,
        "progress": business_plan_progress(plan),
        "manages": manages,
        "vendor_view": request_can(request, "partners.view_all"),
        "plan_form": (plan_form or BusinessPlanForm(instance=plan)) if manages else None,
        "goal_form": (goal_form or GoalForm()) if manages else None,
        "qbr_form": (qbr_form or QbrNoteForm()) if manages else None,
    }
    return render(request, "partners/company/plan_detail.html", context, status=status)


@member_required
@require_GET
def plan_detail(request, pk: int):
    return _render_plan(request, _visible_plan(request, pk))


def _plan_form_post(request, plan, form, *, form_key: str, service, saved: str):
    """Validate `form`, hand its data to `service`, and show the plan again: saved, or with the errors."""
    if form.is_valid():
        try:
            service(plan=plan, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, saved)
            return redirect("partners:plan-detail", pk=plan.pk)
    return _render_plan(request, plan, status=400, **{form_key: form})


@member_required
@require_POST
def plan_edit(request, pk: int):
    plan = _managed_plan(request, pk)
    form = BusinessPlanForm(request.POST, instance=BusinessPlan.objects.get(pk=plan.pk))
    return _plan_form_post(
        request,
        plan,
        form,
        form_key="plan_form",
        service=services.business_plan_update,
        saved=_("Business plan saved."),
    )


@member_required
@require_POST
def plan_goal(request, pk: int):
    plan = _managed_plan(request, pk)
    return _plan_form_post(
        request,
        plan,
        GoalForm(request.POST),
        form_key="goal_form",
        service=services.business_plan_goal_set,
        saved=_("Goal saved."),
    )


@member_required
@require_POST
def plan_goal_remove(request, pk: int, goal_pk: int):
    plan = _managed_plan(request, pk)
    goal = get_object_or_404(BusinessPlanGoal.objects.filter(plan=plan), pk=goal_pk)
    services.business_plan_goal_remove(goal=goal, actor=request.user)
    messages.success(request, _("Goal removed."))
    return redirect("partners:plan-detail", pk=plan.pk)


@member_required
@require_POST
def plan_qbr(request, pk: int):
    plan = _managed_plan(request, pk)
    return _plan_form_post(
        request,
        plan,
        QbrNoteForm(request.POST),
        form_key="qbr_form",
        service=services.qbr_note_add,
        saved=_("QBR note added."),
    )


urlpatterns = [
    path("business-plan/", company_plans, name="company-plans"),
    path("partners/<int:pk>/plans/", partner_plans, name="partner-plans"),
    path("plans/<int:pk>/", plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit", plan_edit, name="plan-edit"),
    path("plans/<int:pk>/goals", plan_goal, name="plan-goal"),
    path("plans/<int:pk>/goals/<int:goal_pk>/remove", plan_goal_remove, name="plan-goal-remove"),
    path("plans/<int:pk>/qbr", plan_qbr, name="plan-qbr"),
]
