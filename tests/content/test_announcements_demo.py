"""The announcements demo: per tenant a pinned one, targeted ones (tier, program, region), a scheduled, an expired
and an emailed one, some read; sign-ins over the last 90 days so the engagement score is not zero; seeding again
changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from content.announcement_rules import announcement_state
from content.models import Announcement, AnnouncementRead
from partners.metrics import metric_get
from partners.models import Partner
from prm.accounts.models import SignIn
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant


def _rows():
    return (
        sorted(Announcement.objects.values_list("pk", "title", "publish_at", "expire_at", "emailed_at")),
        AnnouncementRead.objects.count(),
        SignIn.objects.count(),
    )


def test_demo_announcements_cover_every_state_and_feed_engagement(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    for tenant in Tenant.objects.filter(slug__in=["acme", "globex"]):
        with tenant_context(tenant):
            rows = list(Announcement.objects.all())
            now = timezone.now()
            states = {announcement_state(publish_at=a.publish_at, expire_at=a.expire_at, now=now) for a in rows}
            assert states == {"live", "scheduled", "expired"}
            assert any(a.is_pinned for a in rows) and any(a.emailed_at for a in rows)
            assert any(a.visible_tier_ids for a in rows) and any(a.visible_program_ids for a in rows)
            assert any(a.visible_regions for a in rows)
            assert AnnouncementRead.objects.exists()
            scores = metric_get("engagement_90d").compute(Partner.objects.all())
            assert any(score > 0 for score in scores.values())
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
        first = _rows()
    call_command("seed_demo", stdout=StringIO())
    with tenant_context(acme):
        assert _rows() == first
