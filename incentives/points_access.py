"""Who sees which points, rewards and redemptions (shared by the API and the portal pages).

Vendor staff ("incentives.view_all") see every reward, redemption and balance. A partner user sees the active
rewards of its tier, its own points and redemptions; a partner admin also the company's points and all of its
people's redemptions. Anything else is a 404, the same as a missing row.
"""

from django.http import Http404

from partners.models import Partner
from partners.permissions import request_partner
from prm.accounts.models import Membership
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from .models import Redemption, Reward
from .selectors.points import redemption_list, reward_list, rewards_for_partner

VIEW_ALL, MANAGE, EARN = "incentives.view_all", "incentives.manage", "incentives.earn"


def rewards_visible_to(request):
    if request_can(request, VIEW_ALL):
        return reward_list()
    partner = request_partner(request) if request_can(request, EARN) else None
    if partner is None:
        return Reward.objects.none()
    return rewards_for_partner(partner)


def redemptions_visible_to(request):
    if request_can(request, VIEW_ALL):
        return redemption_list()
    partner = request_partner(request) if request_can(request, EARN) else None
    if partner is None:
        return Redemption.objects.none()
    mine = redemption_list().filter(partner=partner)
    return mine if request_role(request) == Role.PARTNER_ADMIN else mine.filter(user=request.user)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def points_recipient_for(request, *, user_id=None, partner_id=None) -> dict:
    """{"user": …} or {"partner": …} whose points `request` asks about: the signed-in user without parameters.
    Managers name any member or partner; a partner admin its company or its people; a rep only itself."""
    vendor = request_can(request, VIEW_ALL)
    own_partner = request_partner(request)
    admin = own_partner is not None and request_role(request) == Role.PARTNER_ADMIN
    if partner_id not in (None, ""):
        partner = Partner.objects.filter(pk=_int(partner_id)).first()
        if partner is None or not (vendor or (admin and partner.pk == own_partner.pk)):
            raise Http404
        return {"partner": partner}
    if user_id in (None, "") or _int(user_id) == request.user.pk:
        return {"user": request.user}
    members = Membership.objects.filter(user_id=_int(user_id))
    if not vendor:
        if not admin:
            raise Http404
        members = members.filter(partner_links__partner=own_partner)
    member = members.select_related("user").first()
    if member is None:
        raise Http404
    return {"user": member.user}
