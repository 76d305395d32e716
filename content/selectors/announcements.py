"""Reads of announcements: the live window in SQL, the feed of a partner's user (targeted with the same condition
as the library's assets, unread markers in the same query), the vendor's list with read counts, and the audience
an announcement is emailed to."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.models import PartnerStatus
from partners.permissions import request_partner
from prm.accounts.models import Membership
from prm.accounts.permissions import request_can
from prm.accounts.roles import PARTNER_ROLES

from ..announcement_rules import announcement_state
from ..models import Announcement, AnnouncementRead
from .visibility import audience_condition

# Partners whose people hear from the vendor (applicants are not partners yet; suspended and offboarded ones
# do not get news by email).
NEWS_PARTNER_STATUSES = (PartnerStatus.ONBOARDING, PartnerStatus.ACTIVE)


def live_condition(now: datetime | None = None) -> Q:
    """`content.announcement_rules.is_live` as a condition: published at or before `now`, not expired by then."""
    now = now or timezone.now()
    return Q(publish_at__lte=now) & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def announcements_for_partner(partner, *, now: datetime | None = None) -> QuerySet[Announcement]:
    """The live announcements whose restrictions match `partner` (an empty restriction matches anyone)."""
    return Announcement.objects.filter(live_condition(now) & audience_condition(partner))


def announcements_visible_to(request) -> QuerySet[Announcement]:
    """Vendor staff see every announcement (drafts, scheduled and expired ones too); a partner's users the live
    ones meant for their company; anyone else none."""
    if request_can(request, "content.view_all"):
        return Announcement.objects.all()
    partner = request_partner(request) if request_can(request, "content.use") else None
    if partner is None:
        return Announcement.objects.none()
    return announcements_for_partner(partner)


def with_unread(announcements: QuerySet[Announcement], *, user) -> QuerySet[Announcement]:
    """`is_unread` for `user`, in the same query."""
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)
    return announcements.annotate(is_unread=~Exists(read))


def announcement_feed(request) -> QuerySet[Announcement]:
    """What the reader sees, pinned first, then newest, each marked read or unread for them."""
    return with_unread(announcements_visible_to(request), user=request.user).order_by(
        "-is_pinned", "-publish_at", "-pk"
    )


def announcement_unread_count(request) -> int:
    """How many live announcements meant for the reader they have not opened (vendor staff: 0, they write them)."""
    if request_can(request, "content.view_all"):
        return 0
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=request.user)
    return announcements_visible_to(request).filter(~Exists(read)).count()


def with_read_counts(announcements: QuerySet[Announcement]) -> QuerySet[Announcement]:
    """`read_count`: how many people opened each announcement (only its audience can), in the same query."""
    reads = (
        AnnouncementRead.objects.filter(announcement=OuterRef("pk"))
        .order_by()
        .values("announcement")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return announcements.annotate(
        read_count=Coalesce(Subquery(reads, output_field=IntegerField()), Value(0), output_field=IntegerField())
    )


def audience_partner_condition(announcement: Announcement, *, prefix: str = "") -> Q:
    """The partners an announcement's restrictions match (the reverse of `audience_condition`): every list that
    is set must match; `prefix` reaches the partner from another model."""
    condition = Q(**{f"{prefix}status__in": NEWS_PARTNER_STATUSES})
    if announcement.visible_program_ids:
        condition &= Q(**{f"{prefix}program_id__in": announcement.visible_program_ids})
    if announcement.visible_tier_ids:
        condition &= Q(**{f"{prefix}tier_id__in": announcement.visible_tier_ids})
    if announcement.visible_types:
        condition &= Q(**{f"{prefix}types__overlap": announcement.visible_types})
    if announcement.visible_regions:
        condition &= Q(**{f"{prefix}regions__overlap": announcement.visible_regions})
    return condition


def announcement_audience_users(announcement: Announcement) -> QuerySet:
    """Every active user with an active partner-role membership of a partner the announcement is for, in one
    query whatever the number of partners."""
    memberships = Membership.objects.filter(
        audience_partner_condition(announcement, prefix="partner_links__partner__"),
        is_active=True,
        role__in=PARTNER_ROLES,
    )
    return get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("email")


def announcements_due_email() -> QuerySet[Announcement]:
    """Live announcements to be emailed that have not been yet (scheduled ones whose time came)."""
    return Announcement.objects.filter(live_condition(), send_email=True, emailed_at__isnull=True)


def with_state(announcements, *, now=None) -> list[Announcement]:
    """The announcements, each with `state` (draft, scheduled, live, expired: `announcement_state`) at `now`."""
    now = now or timezone.now()
    rows = list(announcements)
    for row in rows:
        row.state = announcement_state(publish_at=row.publish_at, expire_at=row.expire_at, now=now)
    return rows
