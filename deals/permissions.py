"""Who sees which registrations: vendor staff all, a partner admin the company's, a rep their own."""

from partners.permissions import request_partner
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from .models import Deal
from .selectors import deal_list


def request_manages_deals(request) -> bool:
    return request_can(request, "deals.manage")


def request_sees_deals(request) -> bool:
    """Vendor staff who see all registrations and partner users who register their own."""
    return request_can(request, "deals.view_all") or request_can(request, "deals.register")


def deals_visible_to(request):
    if request_can(request, "deals.view_all"):
        return deal_list()
    partner = request_partner(request) if request_can(request, "deals.register") else None
    if partner is None:
        return Deal.objects.none()
    if request_role(request) == Role.PARTNER_ADMIN:
        return deal_list(partner=partner)
    return deal_list(partner=partner, registered_by=request.user)


# Who may take each action (on a registration they can see): partner users act on their own
# registrations, managers decide; either may close one.
PARTNER_ACTIONS = frozenset({"update_draft", "submit", "close_won", "close_lost"})
MANAGER_ACTIONS = frozenset({"approve", "reject", "special_pricing", "close_won", "close_lost"})


def request_may(request, action: str) -> bool:
    return (action in PARTNER_ACTIONS and request_can(request, "deals.register")) or (
        action in MANAGER_ACTIONS and request_can(request, "deals.manage")
    )


def is_registering_partner(request, deal: Deal) -> bool:
    """A partner user of the deal's partner (visibility has already narrowed a rep to their own deals)."""
    partner = request_partner(request)
    return partner is not None and partner.pk == deal.partner_id and request_can(request, "deals.register")


def can_amend(request, deal: Deal) -> bool:
    """The registering partner and managers amend value, dates, contact, notes and products."""
    return request_manages_deals(request) or is_registering_partner(request, deal)


def can_request_extension(request, deal: Deal) -> bool:
    return is_registering_partner(request, deal)


def can_decide_extension(request) -> bool:
    return request_manages_deals(request)
