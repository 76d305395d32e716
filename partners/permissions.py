"""Partner scoping for requests: vendor staff see every partner; partner users only their own."""

from prm.accounts.permissions import request_can, request_membership

from .models import Partner
from .selectors import partner_of_membership

_UNSET = object()


def request_partner(request) -> Partner | None:
    """The partner company of the signed-in partner user (cached on the request), else None."""
    cached = getattr(request, "_prm_partner", _UNSET)
    if cached is _UNSET:
        cached = partner_of_membership(request_membership(request))
        request._prm_partner = cached
    return cached


def request_sees_all_partners(request) -> bool:
    return request_can(request, "partners.view_all")


def partners_visible_to(request):
    """Partners `request` may see: all for vendor staff, the own company for partner users, else none."""
    if request_sees_all_partners(request):
        return Partner.objects.all()
    partner = request_partner(request)
    if partner is None:
        return Partner.objects.none()
    return Partner.objects.filter(pk=partner.pk)
