"""Reads of logged activities: who sees which."""

from django.db.models import QuerySet

from partners.permissions import request_partner
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from ..models import ActivityEvent


def activity_list() -> QuerySet[ActivityEvent]:
    return ActivityEvent.objects.select_related("user", "partner", "logged_by").order_by("-occurred_on", "-id")


def activities_visible_to(request) -> QuerySet[ActivityEvent]:
    """Vendor staff: every activity; a partner admin: the company's; a partner rep: their own."""
    activities = activity_list()
    if request_can(request, "incentives.view_all"):
        return activities
    partner = request_partner(request) if request_can(request, "incentives.earn") else None
    if partner is None:
        return activities.none()
    activities = activities.filter(partner=partner)
    if request_role(request) == Role.PARTNER_REP:
        activities = activities.filter(user=request.user)
    return activities
