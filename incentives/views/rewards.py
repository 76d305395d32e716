"""Portal pages of points and rewards: "Rewards" for partner users (balance, catalog with a redeem button, the
redemptions) and "Redemptions" for vendor staff (the queue; managers fulfil or refuse)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from partners.permissions import request_partner
from partners.services.tiers import tenant_today
from prm.accounts.permissions import capability_required, request_can, request_role
from prm.accounts.roles import Role
from prm.errors import DomainError

from ..models import Redemption
from ..points_access import EARN, MANAGE, VIEW_ALL, redemptions_visible_to, rewards_visible_to
from ..selectors.points import points_balance
from ..services.redemptions import COMPANY, OWN, TEXT_MAX, redemption_fulfil, redemption_refuse, redemption_request

PAGE_SIZE = 50
RECENT_REDEMPTIONS = 50


def _partner_or_404(request):
    partner = request_partner(request)
    if partner is None:
        raise Http404
    return partner


@capability_required(EARN)
@require_GET
def rewards(request):
    partner = _partner_or_404(request)
    today = tenant_today()
    is_admin = request_role(request) == Role.PARTNER_ADMIN
    context = {
        "partner": partner,
        "balance": points_balance(user=request.user, today=today),
        "company_balance": points_balance(partner=partner, today=today) if is_admin else None,
        "catalog": list(rewards_visible_to(request)),
        "redemptions": list(redemptions_visible_to(request)[:RECENT_REDEMPTIONS]),
        "is_admin": is_admin,
        "text_max": TEXT_MAX,
    }
    return render(request, "incentives/rewards.html", context)


@capability_required(EARN)
@require_POST
def reward_redeem(request, pk: int):
    partner = _partner_or_404(request)
    reward = get_object_or_404(rewards_visible_to(request), pk=pk)
    account = COMPANY if request.POST.get("account") == COMPANY else OWN
    try:
        redemption_request(
            actor=request.user, partner=partner, reward=reward, account=account, note=request.POST.get("note", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(reward)s requested; the points are reserved until it is handled.") % {"reward": reward.name}
        )
    return redirect("incentives:rewards")


@capability_required(VIEW_ALL)
@require_GET
def redemptions(request):
    status = request.GET.get("status", Redemption.Status.REQUESTED)
    rows = redemptions_visible_to(request)
    if status in Redemption.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Redemption.Status.choices,
        "can_decide": request_can(request, MANAGE),
        "text_max": TEXT_MAX,
    }
    return render(request, "incentives/redemptions.html", context)


def _decide(request, pk: int, service, done: str, **arguments):
    redemption = get_object_or_404(redemptions_visible_to(request), pk=pk)
    try:
        service(actor=request.user, redemption=redemption, **arguments)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"reward": redemption.reward.name, "email": redemption.user.email})
    return redirect("incentives:redemptions")


@capability_required(MANAGE)
@require_POST
def redemption_fulfil_view(request, pk: int):
    return _decide(
        request, pk, redemption_fulfil, _("%(reward)s for %(email)s fulfilled."), note=request.POST.get("note", "")
    )


@capability_required(MANAGE)
@require_POST
def redemption_refuse_view(request, pk: int):
    return _decide(
        request,
        pk,
        redemption_refuse,
        _("%(reward)s for %(email)s refused; the points are refunded."),
        reason=request.POST.get("reason", ""),
    )


def register_nav() -> None:
    from prm.portal.navigation import NavItem, register_nav_item

    register_nav_item(NavItem("incentives.rewards", gettext_lazy("Rewards"), "incentives:rewards", EARN, order=50))
    register_nav_item(
        NavItem("incentives.redemptions", gettext_lazy("Redemptions"), "incentives:redemptions", VIEW_ALL, order=55)
    )


urlpatterns = [
    path("rewards/", rewards, name="rewards"),
    path("rewards/<int:pk>/redeem", reward_redeem, name="reward-redeem"),
    path("redemptions/", redemptions, name="redemptions"),
    path("redemptions/<int:pk>/fulfil", redemption_fulfil_view, name="redemption-fulfil"),
    path("redemptions/<int:pk>/refuse", redemption_refuse_view, name="redemption-refuse"),
]
