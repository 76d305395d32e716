"""Incentive money pages: "Incentives" for partner users (live accrual this period, statements, each line
explained and linked), and "Payouts" for vendor staff (pending by recipient; prepare, approve, mark paid,
cancel through the services; CSV)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from partners.permissions import request_partner
from partners.services.tiers import tenant_today
from prm.accounts.permissions import capability_required, member_required, request_can, request_role
from prm.accounts.roles import Role
from prm.errors import DomainError

from ..models import Payout
from ..selectors.ledger import (
    earnings_visible_to,
    ledger_balances,
    partner_accrual,
    payout_list,
    pending_by_recipient,
    statement_detail,
    statement_rows,
    statements_of,
)
from ..services.ledger import (
    PAYOUT_LINE_CHOICES,
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payouts_csv,
    payouts_prepare,
)

PAGE_SIZE = 25


class PrepareForm(forms.Form):
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, min_length=3)
    up_to = forms.DateField(
        label=gettext_lazy("Lines up to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lines = forms.TypedChoiceField(
        label=gettext_lazy("Lines"), choices=PAYOUT_LINE_CHOICES, initial="all", required=False, empty_value="all"
    )


class MarkPaidForm(forms.Form):
    external_reference = forms.CharField(label=gettext_lazy("Payment reference"), max_length=120)
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PayoutStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", "—"), *Payout.Status.choices]
    )


@capability_required("incentives.earn")
@require_GET
def earnings(request):
    partner = request_partner(request)
    if partner is None:
        raise Http404
    entries = earnings_visible_to(request)
    rep_user = request.user if request_role(request) == Role.PARTNER_REP else None
    rows = Paginator(statement_rows(entries), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "partner": partner,
        "is_rep": rep_user is not None,
        "accruals": partner_accrual(partner=partner, entries=entries, today=tenant_today(), rep_user=rep_user),
        "balances": _named_balances(ledger_balances(entries), partner),
        "page": rows,
        "statements": statements_of(entries, rows),
    }
    return render(request, "incentives/earnings.html", context)


def _named_balances(rows: list[dict], partner) -> list[dict]:
    from django.contrib.auth import get_user_model

    emails = dict(
        get_user_model()
        .objects.filter(pk__in=[r["recipient_user_id"] for r in rows if r["recipient_user_id"]])
        .values_list("pk", "email")
    )
    for row in rows:
        row["name"] = partner.name if row["recipient_partner_id"] else emails.get(row["recipient_user_id"], "")
    return rows


class StatementFilterForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("Period"), required=False, max_length=10)
    q = forms.CharField(label=gettext_lazy("Recipient"), required=False, max_length=100)


@capability_required("incentives.view_all")
@require_GET
def statements(request):
    """Vendor staff: every recipient's statements, newest period first."""
    form = StatementFilterForm(request.GET or None)
    entries = earnings_visible_to(request)
    if form.is_valid():
        if form.cleaned_data["period"]:
            entries = entries.filter(period=form.cleaned_data["period"].strip())
        if term := form.cleaned_data["q"].strip():
            entries = entries.filter(
                Q(recipient_partner__name__icontains=term) | Q(recipient_user__email__icontains=term)
            )
    rows = Paginator(statement_rows(entries), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": rows, "statements": statements_of(entries, rows)}
    return render(request, "incentives/statements.html", context)


@member_required
@require_GET
def statement(request, key: str):
    vendor = request_can(request, "incentives.view_all")
    if not vendor and not request_can(request, "incentives.earn"):
        raise PermissionDenied
    found = statement_detail(earnings_visible_to(request), key, vendor=vendor)
    if found is None:
        raise Http404
    return render(request, "incentives/statement.html", {"statement": found, "vendor": vendor})


def _filtered_payouts(request):
    form = PayoutStatusForm(request.GET or None)
    payouts = payout_list()
    if form.is_valid() and form.cleaned_data["status"]:
        payouts = payouts.filter(status=form.cleaned_data["status"])
    return form, payouts


@capability_required("incentives.view_all")
@require_GET
def payouts(request):
    return _payouts_page(request)


def _payouts_page(request, prepare_form=None, status=200):
    form, rows = _filtered_payouts(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "page": page,
        "pending": pending_by_recipient(),
        "can_manage": request_can(request, "incentives.manage"),
        "prepare_form": prepare_form or PrepareForm(),
        "paid_form": MarkPaidForm(auto_id=False),
    }
    return render(request, "incentives/payouts.html", context, status=status)


@capability_required("incentives.view_all")
@require_GET
def payouts_export(request):
    _form, rows = _filtered_payouts(request)
    response = HttpResponse(payouts_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="payouts.csv"'
    return response


@capability_required("incentives.manage")
@require_POST
def payouts_prepare_view(request):
    form = PrepareForm(request.POST)
    if not form.is_valid():
        return _payouts_page(request, prepare_form=form, status=400)
    try:
        prepared = payouts_prepare(actor=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("incentives:payouts")
    if prepared:
        messages.success(request, _("%(count)d payouts proposed.") % {"count": len(prepared)})
    else:
        messages.info(request, _("Nothing to pay: no recipient has a positive pending balance."))
    return redirect("incentives:payouts")


ACTIONS = {"approve", "mark-paid", "cancel"}


@capability_required("incentives.manage")
@require_POST
def payout_action(request, pk: int, action: str):
    payout = get_object_or_404(payout_list(), pk=pk)
    if action not in ACTIONS:
        raise Http404
    try:
        if action == "approve":
            payout_approve(actor=request.user, payout=payout)
        elif action == "cancel":
            payout_cancel(actor=request.user, payout=payout)
        else:
            form = MarkPaidForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the payment reference (and a valid date)."))
                return redirect("incentives:payouts")
            payout_mark_paid(actor=request.user, payout=payout, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("incentives:payouts")
    messages.success(request, _("Payout #%(id)s: done.") % {"id": payout.pk})
    return redirect("incentives:payouts")


urlpatterns = [
    path("incentives/", earnings, name="earnings"),
    path("incentives/statements/", statements, name="statements"),
    path("incentives/statements/<str:key>/", statement, name="statement"),
    path("incentives/payouts/", payouts, name="payouts"),
    path("incentives/payouts/export", payouts_export, name="payouts-export"),
    path("incentives/payouts/prepare", payouts_prepare_view, name="payouts-prepare"),
    path("incentives/payouts/<int:pk>/<slug:action>", payout_action, name="payout-action"),
]


def register_nav() -> None:
    from prm.portal.navigation import NavItem, register_nav_item

    label = gettext_lazy("Incentives")
    register_nav_item(NavItem("incentives.earnings", label, "incentives:earnings", "incentives.earn", order=40))
    register_nav_item(
        NavItem("incentives.payouts", gettext_lazy("Payouts"), "incentives:payouts", "incentives.view_all", order=42)
    )
