"""Who may do what with one partner company: the checks the portal, API and admin share.

Visibility comes first (`partners.permissions.partners_visible_to`: a partner the request cannot
see is a 404); these functions then decide what a request may do with a partner it can see.
"""

from prm.accounts.permissions import request_can

from .models import Partner
from .permissions import request_partner


def _own_company(request, partner: Partner) -> bool:
    own = request_partner(request)
    return own is not None and own.pk == partner.pk


def can_edit_profile(request, partner: Partner) -> bool:
    """Managers, and the partner's own partner admins."""
    if request_can(request, "partners.manage"):
        return True
    return request_can(request, "partner.manage_company") and _own_company(request, partner)


def can_view_people(request, partner: Partner) -> bool:
    """Vendor staff, and the partner's own partner admins (reps do not manage people)."""
    if request_can(request, "partners.view_all"):
        return True
    return request_can(request, "partner.manage_company") and _own_company(request, partner)


def can_manage_people(request, partner: Partner) -> bool:
    return can_edit_profile(request, partner)


def can_view_plans(request, partner: Partner) -> bool:
    """Joint business plans: vendor staff and the partner's own admins; reps do not see them."""
    return can_view_people(request, partner)


def can_manage_plans(request) -> bool:
    return request_can(request, "partners.manage")
