"""Who hears about MDF events: the partner's admins and requesters, the vendor's managers. Active members only;
each lookup is one query, whatever the number of partners or requests."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Q

from prm.accounts.models import Membership
from prm.accounts.roles import Role

from ..models import MdfRequest

MANAGER_ROLES = (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER)


def partner_admins(partner_ids: Iterable[int]) -> dict[int, list]:
    """{partner id: its active partner admins' users}."""
    members = (
        Membership.objects.filter(
            is_active=True, role=Role.PARTNER_ADMIN, partner_links__partner_id__in=list(set(partner_ids))
        )
        .annotate(link_partner_id=F("partner_links__partner_id"))
        .select_related("user")
        .order_by("user__email")
    )
    admins = defaultdict(list)
    for member in members:
        admins[member.link_partner_id].append(member.user)
    return admins


def request_recipients(requests: Iterable[MdfRequest]) -> dict[int, list]:
    """{request id: users}: who asked for it (while an active member of its partner), then the partner's admins."""
    requests = list(requests)
    requester_ids = {request.requested_by_id for request in requests if request.requested_by_id is not None}
    members = list(
        Membership.objects.filter(
            is_active=True, partner_links__partner_id__in={request.partner_id for request in requests}
        )
        .filter(Q(role=Role.PARTNER_ADMIN) | Q(user_id__in=requester_ids))
        .annotate(link_partner_id=F("partner_links__partner_id"))
        .select_related("user")
        .order_by("user__email")
    )
    recipients = {}
    for request in requests:
        own = [member for member in members if member.link_partner_id == request.partner_id]
        requester = [member.user for member in own if member.user_id == request.requested_by_id]
        admins = [
            member.user
            for member in own
            if member.role == Role.PARTNER_ADMIN and member.user_id != request.requested_by_id
        ]
        recipients[request.pk] = requester + admins
    return recipients


def fund_managers() -> list:
    """The vendor's active tenant admins and channel managers (who manage funds)."""
    managers = Membership.objects.filter(is_active=True, role__in=MANAGER_ROLES).select_related("user")
    return [member.user for member in managers.order_by("user__email")]


def partner_managers(partner) -> list:
    """Who reviews `partner`'s requests and claims: its channel manager while an active member, else the
    vendor's active tenant admins and channel managers."""
    if partner.channel_manager_id is not None:
        own = (
            Membership.objects.filter(is_active=True, role__in=MANAGER_ROLES, user_id=partner.channel_manager_id)
            .select_related("user")
            .first()
        )
        if own is not None:
            return [own.user]
    return fund_managers()
