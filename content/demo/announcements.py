"""Demo data: announcements (pinned, targeted by tier, program and region, one scheduled, one expired, one that was
emailed to its audience), some read by some partner users; and sign-ins of the partner users over the last 90 days
so the engagement score has something to count. Written through the services where there is one; the history
(the emailed one, the sign-in times) is stamped afterwards. Idempotent: a tenant with the demo's pinned
announcement is left as it is."""

from datetime import timedelta

from django.db.models.expressions import RawSQL
from django.utils import timezone

from partners.models import PartnerUser, Program, Tier
from prm.accounts.models import SignIn, User

from ..engagement_rules import WINDOW_DAYS
from ..models import Announcement, AnnouncementRead
from ..services import announcement_create

PINNED_TITLE = "Welcome to the partner portal"


def seed(tenant, out) -> None:
    """Seed this area's demo data for `tenant` (idempotent)."""
    if not Announcement.objects.filter(title=PINNED_TITLE).exists():
        _announcements(tenant)
        _sign_ins()
    out.write(
        f"  {tenant.slug}: {Announcement.objects.count()} announcements, "
        f"{AnnouncementRead.objects.count()} read markers, {SignIn.objects.count()} sign-ins"
    )


def _announcements(tenant) -> None:
    manager = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    now = timezone.now()
    program = Program.objects.order_by("position", "name").first()
    top_tier = Tier.objects.filter(program=program).order_by("-rank").first() if program else None

    def news(title, body, **values):
        return announcement_create(actor=manager, title=title, body=body, **values)

    pinned = news(
        PINNED_TITLE,
        "<p>Everything you need to sell with us is here: the <strong>content library</strong>, training and "
        "certifications, deal registration and your incentives.</p>",
        is_pinned=True,
        publish_at=now - timedelta(days=60),
    )
    news(
        "Top-tier partners: early access to the new release",
        "<p>Your sales engineers can join the beta from next week. Reply to your channel manager.</p>",
        visible_tier_ids=[top_tier.pk] if top_tier else [],
        publish_at=now - timedelta(days=5),
    )
    news(
        "EMEA partner summit",
        "<h2>Lisbon, in the spring</h2><p>Two days of roadmap, enablement and awards.</p>",
        visible_regions=["europe", "middle_east_africa"],
        publish_at=now - timedelta(days=12),
    )
    emailed = news(
        f"{program.name if program else 'Partner'} program: new incentive quarter",
        "<p>The new quarter's SPIFs are live. See <em>Incentives</em> for the rules.</p>",
        visible_program_ids=[program.pk] if program else [],
        publish_at=now - timedelta(days=2),
    )
    # It went out by email when it was published (history: the demo does not send mail).
    Announcement.objects.filter(pk=emailed.pk).update(send_email=True, emailed_at=emailed.publish_at)
    news(
        "Price list update",
        "<p>The new price list applies from the first of next month.</p>",
        publish_at=now + timedelta(days=3),
    )
    news(
        "Holiday support hours",
        "<p>Support ran on reduced hours over the holidays.</p>",
        publish_at=now - timedelta(days=40),
        expire_at=now - timedelta(days=10),
    )
    readers = list(
        PartnerUser.objects.filter(membership__is_active=True)
        .order_by("pk")
        .values_list("membership__user_id", flat=True)[::2]
    )
    AnnouncementRead.objects.bulk_create(
        [AnnouncementRead(user_id=user_id, announcement=pinned) for user_id in readers], ignore_conflicts=True
    )


def _sign_ins() -> None:
    """A few sign-ins per partner user, more for some than others, spread over the engagement window."""
    memberships = list(
        PartnerUser.objects.filter(membership__is_active=True).order_by("pk").values_list("membership_id", flat=True)
    )
    rows = [SignIn(membership_id=pk) for index, pk in enumerate(memberships) for _ in range(index % 6 * 3)]
    created = SignIn.objects.bulk_create(rows)
    SignIn.objects.filter(pk__in=[row.pk for row in created]).update(
        signed_in_at=RawSQL("now() - (id %% %s) * interval '1 day' - (id %% 24) * interval '1 hour'", [WINDOW_DAYS - 1])
    )
