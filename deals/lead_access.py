"""Who sees which leads: vendor staff all of them; partner users (admins and reps) the leads currently
with their own partner; anyone else none. A lead outside this set answers 404, like a missing one."""

from django.db.models import QuerySet

from partners.permissions import request_partner
from prm.accounts.permissions import request_can

from .models import Lead
from .selectors.leads import lead_list, leads_of_partner

VIEW_ALL = "deals.view_all"  # vendor staff read every lead
MANAGE = "deals.manage"  # tenant admins and channel managers create, import and assign
RESPOND = "deals.register"  # partner admins and reps accept, reject and convert


def leads_visible_to(request) -> QuerySet:
    if request_can(request, VIEW_ALL):
        return lead_list()
    partner = request_partner(request) if request_can(request, RESPOND) else None
    if partner is None:
        return Lead.objects.none()
    return leads_of_partner(partner.pk)
