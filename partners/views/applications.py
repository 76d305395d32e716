"""Recruitment pages: the public "Become a partner" page and form, and the managers' application review."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts.permissions import capability_required, request_can
from prm.errors import DomainError

from ..application_rules import is_open, program_questions
from ..countries import country_name
from ..filters.applications import ApplicationFilter
from ..forms.applications import ApplicationForm, InfoRequestForm, RejectForm
from ..profile import profile_labels
from ..selectors.applications import application_list, applications_same_domain, programs_public
from ..services.applications import (
    TooManyApplications,
    application_approve,
    application_reject,
    application_request_info,
    application_spam_trapped,
    application_submit,
)

PAGE_SIZE = 50


# --- Public -------------------------------------------------------------------------------
@require_GET
def join(request):
    return render(request, "partners/join.html", {"programs": list(programs_public())})


@require_http_methods(["GET", "POST"])
def apply(request):
    programs = list(programs_public())
    form = ApplicationForm(
        request.POST or None,
        programs=programs,
        currency=request.tenant.currency,
        initial={"program": request.GET.get("program")},
    )
    status = 200
    if request.method == "POST" and programs:
        client_ip = request.META.get("REMOTE_ADDR")
        if form.is_trapped():
            application_spam_trapped(client_ip=client_ip)
            return redirect("partners:join-thanks")
        if form.is_valid():
            try:
                application_submit(**form.submission(), client_ip=client_ip)
            except TooManyApplications as error:
                form.add_error(None, error.message)
                status = 429
            except DomainError as error:
                _form_errors(form, error)
            else:
                return redirect("partners:join-thanks")
    return render(request, "partners/apply.html", {"form": form, "programs": programs}, status=status)


def _form_errors(form: ApplicationForm, error: DomainError) -> None:
    if not error.fields:
        form.add_error(None, error.message)
    for key, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(form.field_for_error(key), message)


@require_GET
def join_thanks(request):
    return render(request, "partners/join_thanks.html")


# --- Review (vendor staff view, managers decide) --------------------------------------------
@capability_required("partners.view_all")
@require_GET
def application_index(request):
    filterset = ApplicationFilter(request.GET or None, queryset=application_list())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/applications/list.html", {"filter": filterset, "page": page})


def _answers(application) -> list[tuple[str, str]]:
    """(question, answer) in the program's order; answers to questions since removed come last."""
    questions = program_questions(application.program.application_questions)
    asked = {question.key for question in questions}
    rows = [(question.label, application.answers.get(question.key, "")) for question in questions]
    return rows + [(key, value) for key, value in application.answers.items() if key not in asked]


def _detail(request, application, *, reject_form=None, info_form=None, status=200):
    context = {
        "application": application,
        "country": country_name(application.country),
        **{
            field: ", ".join(profile_labels(field, getattr(application, field)))
            for field in ("types", "regions", "verticals")
        },
        "answers": _answers(application),
        "same_domain": list(applications_same_domain(application)),
        "can_decide": request_can(request, "partners.manage") and is_open(application.status),
        "reject_form": reject_form or RejectForm(),
        "info_form": info_form or InfoRequestForm(),
    }
    return render(request, "partners/applications/detail.html", context, status=status)


@capability_required("partners.view_all")
@require_GET
def application_detail(request, pk: int):
    return _detail(request, get_object_or_404(application_list(), pk=pk))


# action: (form with the text the service needs, its field, service)
DECISIONS = {
    "approve": (None, None, application_approve),
    "reject": (RejectForm, "reason", application_reject),
    "request-info": (InfoRequestForm, "message", application_request_info),
}
FORM_SLOTS = {"reject": "reject_form", "request-info": "info_form"}


@capability_required("partners.manage")
@require_POST
def application_action(request, pk: int, action: str):
    application = get_object_or_404(application_list(), pk=pk)
    if action not in DECISIONS:
        raise Http404
    form_class, argument, service = DECISIONS[action]
    form = form_class(request.POST) if form_class else None
    forms = {FORM_SLOTS[action]: form} if form is not None else {}
    if form is not None and not form.is_valid():
        return _detail(request, application, status=400, **forms)
    extra = {argument: form.cleaned_data[argument]} if form else {}
    try:
        application = service(application=application, actor=request.user, **extra)
    except DomainError as error:
        if form is not None and argument in error.fields:
            form.add_error(argument, " ".join(error.fields[argument]))
            return _detail(request, application, status=error.status, **forms)
        messages.error(request, error.message)
        return redirect("partners:application-detail", pk=pk)
    done = {
        "approve": _("Approved: %(name)s is onboarding and its partner admin has been invited."),
        "reject": _("%(name)s was turned down; the applicant has been emailed the reason."),
        "request-info": _("Your questions have been emailed to %(name)s."),
    }[action]
    messages.success(request, done % {"name": application.company_name})
    return redirect("partners:application-detail", pk=pk)


urlpatterns = [
    path("join/", join, name="join"),
    path("join/apply/", apply, name="apply"),
    path("join/thanks/", join_thanks, name="join-thanks"),
    path("applications/", application_index, name="application-list"),
    path("applications/<int:pk>/", application_detail, name="application-detail"),
    path("applications/<int:pk>/<slug:action>", application_action, name="application-action"),
]
