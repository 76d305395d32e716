"""MDF home, by role: a partner's users see their allocations with the balance bar, the claim deadlines and
their requests and claims with the next step; vendor staff see each fund's spend against its allocations, the
allocations per partner, and (managers act on it) the review queue."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from partners.permissions import request_partner
from partners.services.tiers import tenant_today
from prm.accounts.permissions import capability_required, member_required, request_can

from ..models import Fund, MdfClaimStatus, MdfRequestStatus
from ..selectors import (
    allocation_balances,
    allocations_visible_to,
    claim_deadlines,
    claim_payment_times,
    claims_to_review,
    claims_visible_to,
    fund_totals,
    funds_visible_to,
    requests_to_review,
    requests_visible_to,
    with_claim,
)
from .common import balance_bar, claim_next_step, paged, request_next_step

SOON_DAYS = 15  # a deadline this close is flagged


@member_required
@require_GET
def home(request):
    if request_can(request, "mdf.view_all"):
        return _overview(request)
    if not request_can(request, "mdf.use"):
        raise PermissionDenied
    partner = request_partner(request)
    if partner is None:
        raise Http404
    return _partner_home(request, partner)


def _partner_home(request, partner):
    today = tenant_today()
    allocations = list(allocations_visible_to(request).order_by("-fund__starts_on", "fund__name", "source"))
    balances = allocation_balances(allocations)
    requests = requests_visible_to(request)
    claims = claims_visible_to(request)
    request_page = paged(request, with_claim(requests).order_by("-created_at", "-pk"), "requests_page")
    claim_page = paged(request, claims.order_by("-created_at", "-pk"), "claims_page")
    deadlines = claim_deadlines(requests=requests, claims=claims)
    context = {
        "partner": partner,
        "today": today,
        "soon_days": SOON_DAYS,
        "cards": [
            {
                "allocation": allocation,
                "balance": balances[allocation.pk],
                "bar": balance_bar(balances[allocation.pk]),
                "expires_in": (allocation.fund.expires_on - today).days,
            }
            for allocation in allocations
        ],
        "deadlines": [{"deadline": d, "days": (d.due_on - today).days} for d in deadlines],
        "request_page": request_page,
        "request_rows": [
            {
                "request": row,
                "claim_status": MdfClaimStatus(row.claim_status).label if row.claim_status else "",
                "next": request_next_step(row),
            }
            for row in request_page
        ],
        "claim_page": claim_page,
        "claim_rows": [
            {"claim": claim, "next": claim_next_step(claim.pk, claim.status, claim.due_on, lapsed=_lapsed(claim))}
            for claim in claim_page
        ],
    }
    return render(request, "mdf/home_partner.html", context)


def _lapsed(claim) -> bool:
    return claim.request.status == MdfRequestStatus.LAPSED


@member_required
@require_GET
def fund_detail(request, pk: int):
    """A fund's allocations on the MDF home (where the lifecycle's notices about a fund point)."""
    fund = get_object_or_404(funds_visible_to(request), pk=pk)
    return redirect(f"{reverse('mdf:home')}?fund={fund.pk}#allocations")


@member_required
@require_GET
def funds(request):
    """The MDF home under the name the lifecycle's notices link to."""
    return redirect("mdf:home")


class FundFilterForm(forms.Form):
    fund = forms.ModelChoiceField(
        label=gettext_lazy("Fund"), queryset=Fund.objects.none(), required=False, empty_label=gettext_lazy("All funds")
    )

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


def _overview(request):
    funds = funds_visible_to(request).order_by("-starts_on", "name")
    fund_page = paged(request, funds, "funds_page")
    totals = fund_totals(fund_page)
    form = FundFilterForm(request.GET or None, funds=funds)
    allocations = allocations_visible_to(request).order_by("-fund__starts_on", "fund__name", "partner__name", "source")
    if form.is_valid() and form.cleaned_data["fund"]:
        allocations = allocations.filter(fund=form.cleaned_data["fund"])
    allocation_page = paged(request, allocations, "page")
    balances = allocation_balances(allocation_page)
    context = {
        "fund_page": fund_page,
        "fund_rows": [
            {
                "fund": fund,
                "balance": totals[fund.pk].balance,
                "bar": balance_bar(totals[fund.pk].balance),
                "to_allocate": totals[fund.pk].available_to_allocate,
            }
            for fund in fund_page
        ],
        "form": form,
        "allocation_page": allocation_page,
        "allocation_rows": [{"allocation": a, "balance": balances[a.pk]} for a in allocation_page],
        "to_review": requests_to_review(requests_visible_to(request)).count()
        + claims_to_review(claims_visible_to(request)).count(),
        "payment_times": claim_payment_times(claims_visible_to(request)),
    }
    return render(request, "mdf/overview.html", context)


@capability_required("mdf.view_all")
@require_GET
def review(request):
    """Submitted requests and claims, oldest first; the ones past their review deadline are flagged."""
    request_page = paged(request, requests_to_review(requests_visible_to(request)), "requests_page")
    claim_page = paged(request, claims_to_review(claims_visible_to(request)), "claims_page")
    context = {"now": timezone.now(), "request_page": request_page, "claim_page": claim_page}
    return render(request, "mdf/review.html", context)


urlpatterns = [
    path("mdf/", home, name="home"),
    path("mdf/review/", review, name="review"),
    path("mdf/funds/", funds, name="funds"),
    path("mdf/funds/<int:pk>/", fund_detail, name="fund-detail"),
]
