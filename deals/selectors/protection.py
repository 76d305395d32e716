"""Reads of the protection lifecycle: a program's rules, what the daily sweep acts on, who hears about it."""

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q

from prm.accounts.models import Membership
from prm.accounts.roles import Role

from ..models import Deal, DealStatus, ExtensionRequest
from ..protection_rules import REMINDER_DAYS


def extension_pending_of(deal: Deal) -> ExtensionRequest | None:
    return (
        ExtensionRequest.objects.select_related("requested_by")
        .filter(deal=deal, status=ExtensionRequest.Status.PENDING)
        .first()
    )


def _pending_extension():
    return ExtensionRequest.objects.filter(deal=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)


def protection_expired(*, today: date):
    """Approved deals whose protection ended before `today`. A deal with an extension request awaiting a
    manager's decision is left protected until the manager decides (the partner asked in time)."""
    return Deal.objects.filter(status=DealStatus.APPROVED, protected_until__lt=today).exclude(
        Exists(_pending_extension())
    )


def protection_ending(*, today: date) -> list[tuple[int, date]]:
    """(deal id, protected until) of approved deals whose protection ends within the longest reminder window."""
    return list(
        Deal.objects.filter(
            status=DealStatus.APPROVED,
            protected_until__gte=today,
            protected_until__lte=today + timedelta(days=max(REMINDER_DAYS)),
        )
        .order_by("pk")
        .values_list("pk", "protected_until")
    )


def partner_recipients(deals) -> dict[int, list]:
    """{deal id: users}: the rep who registered it, then the partner's admins; active members of the
    deal's partner only (one query)."""
    deals = list(deals)
    partner_ids = {deal.partner_id for deal in deals}
    rep_ids = {deal.registered_by_id for deal in deals if deal.registered_by_id is not None}
    members = list(
        Membership.objects.filter(is_active=True, partner_links__partner_id__in=partner_ids)
        .filter(Q(role=Role.PARTNER_ADMIN) | Q(user_id__in=rep_ids))
        .annotate(link_partner_id=F("partner_links__partner_id"))
        .select_related("user")
        .order_by("user__email")
    )
    recipients = {}
    for deal in deals:
        own = [m for m in members if m.link_partner_id == deal.partner_id]
        reps = [m.user for m in own if m.user_id == deal.registered_by_id]
        admins = [m.user for m in own if m.role == Role.PARTNER_ADMIN and m.user_id != deal.registered_by_id]
        recipients[deal.pk] = reps + admins
    return recipients


def manager_recipients(partner) -> list:
    """Who decides for `partner`: its channel manager while an active member, else the vendor's active
    channel managers and tenant admins."""
    managers = Membership.objects.filter(is_active=True, role__in=(Role.CHANNEL_MANAGER, Role.TENANT_ADMIN))
    if partner.channel_manager_id is not None:
        own = managers.filter(user_id=partner.channel_manager_id).select_related("user").first()
        if own is not None:
            return [own.user]
    return [membership.user for membership in managers.select_related("user").order_by("user__email")]
