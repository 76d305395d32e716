"""Who may see a deal and act on its protection: the checks the portal, API and admin share.

Visibility first (a deal the request cannot see is a 404): vendor staff see every deal, a partner
admin the company's, a rep only the deals they registered. Then what a request may do with a deal it
can see: the registering partner (and managers) amend; partner users ask for extensions; managers
decide them.
"""

from partners.permissions import request_partner
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from .models import Deal


def deals_visible_to(request):
    """Deals `request` may see (the smallest version of the visibility rule; CORE's deal list uses the same)."""
    if request_can(request, "deals.view_all"):
        return Deal.objects.all()
    partner = request_partner(request)
    if partner is None or not request_can(request, "deals.register"):
        return Deal.objects.none()
    deals = Deal.objects.filter(partner_id=partner.pk)
    if request_role(request) != Role.PARTNER_ADMIN:
        deals = deals.filter(registered_by_id=request.user.pk)
    return deals


def can_manage_deals(request) -> bool:
    return request_can(request, "deals.manage")


def is_registering_partner(request, deal: Deal) -> bool:
    """A partner user of the deal's partner (visibility has already narrowed a rep to their own deals)."""
    partner = request_partner(request)
    return partner is not None and partner.pk == deal.partner_id and request_can(request, "deals.register")


def can_amend(request, deal: Deal) -> bool:
    return can_manage_deals(request) or is_registering_partner(request, deal)


def can_request_extension(request, deal: Deal) -> bool:
    return is_registering_partner(request, deal)


def can_decide_extension(request) -> bool:
    return can_manage_deals(request)
