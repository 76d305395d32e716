"""Program pages: partners see the programs they take part in or may join, how each pays, its terms and
(partner admins) an opt-in button; vendor staff see every program with its latest runs, and managers run
a period on demand."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from partners.permissions import request_partner
from partners.services.tiers import tenant_today
from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError

from ..models import Run
from ..periods import period_containing
from ..selectors import program_list
from ..selectors.program_views import program_views, programs_for_partner, request_sees_programs
from ..services import enrollment_accept, run_request


class RunForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"), max_length=10, help_text=gettext_lazy("2026-Q3, 2026-07 or 2026.")
    )


def _vendor_page(request, *, status=200, errors=None):
    today = tenant_today()
    views = program_views(program_list(), today=today, with_runs=True)
    can_manage = request_can(request, "incentives.manage")
    rows = [
        {
            "view": view,
            "current_period": period_containing(max(today, view.program.starts_on), view.program.period_scheme).key,
            "error": (errors or {}).get(view.program.pk),
        }
        for view in views
    ]
    return render(request, "incentives/programs_vendor.html", {"rows": rows, "can_manage": can_manage}, status=status)


def _partner_page(request, partner):
    views = program_views(programs_for_partner(partner), today=tenant_today(), partner=partner)
    context = {
        "partner": partner,
        "views": views,
        "can_opt_in": request_can(request, "partner.manage_company"),
    }
    return render(request, "incentives/programs.html", context)


@member_required
@require_GET
def programs(request):
    if not request_sees_programs(request):
        raise PermissionDenied
    if request_can(request, "incentives.view_all"):
        return _vendor_page(request)
    return _partner_page(request, request_partner(request))


@capability_required("partner.manage_company")
@require_POST
def program_opt_in(request, pk: int):
    partner = request_partner(request)
    if partner is None or not request_can(request, "incentives.earn"):
        raise PermissionDenied
    program = get_object_or_404(programs_for_partner(partner), pk=pk)
    try:
        enrollment_accept(program=program, partner=partner, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You joined %(program)s.") % {"program": program.name})
    return redirect("incentives:programs")


@capability_required("incentives.manage")
@require_POST
def program_run(request, pk: int):
    program = get_object_or_404(program_list(), pk=pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _vendor_page(request, status=400, errors={program.pk: _("Give a period, e.g. 2026-Q3.")})
    try:
        run = run_request(
            program=program, period_key=form.cleaned_data["period"], kind=Run.Kind.MANUAL, actor=request.user
        )
    except DomainError as error:
        return _vendor_page(request, status=error.status, errors={program.pk: error.message})
    messages.success(
        request, _("A run of %(program)s for %(period)s is queued.") % {"program": program.name, "period": run.period}
    )
    return redirect("incentives:programs")


urlpatterns = [
    path("incentives/programs/", programs, name="programs"),
    path("incentives/programs/<int:pk>/opt-in", program_opt_in, name="program-opt-in"),
    path("incentives/programs/<int:pk>/run", program_run, name="program-run"),
]
