"""Writing announcements: the text is sanitised (script tags never survive), the audience names only the vendor's
own programs and tiers, an expiry comes after the publication; publish now or at a time, back to draft, pin;
read markers are idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import Announcement, AnnouncementRead
from content.services import (
    announcement_create,
    announcement_mark_read,
    announcement_pin,
    announcement_publish,
    announcement_unpin,
    announcement_unpublish,
    announcement_update,
    announcements_mark_all_read,
)
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import MembershipFactory, ProgramFactory, TierFactory


@pytest.fixture
def manager(tenant_a):
    return MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user


def test_create_sanitises_the_text_and_starts_as_a_draft(tenant_a, manager):
    with tenant_context(tenant_a):
        announcement = announcement_create(
            actor=manager,
            title="  Price list 2027 ",
            body='<p onclick="steal()">New prices<script>alert(1)</script></p><a href="javascript:x()">x</a>',
        )
        assert announcement.title == "Price list 2027"
        assert "<script" not in announcement.body and "onclick" not in announcement.body
        assert "javascript:" not in announcement.body and "New prices" in announcement.body
        assert announcement.publish_at is None
        assert AuditEvent.objects.filter(action="content.announcement_create").count() == 1


def test_bad_input_is_refused_with_field_errors(tenant_a, tenant_b, manager):
    foreign_program = ProgramFactory(tenant=tenant_b)
    foreign_tier = TierFactory(program=foreign_program)
    now = timezone.now()
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as error:
            announcement_create(
                actor=manager,
                title=" ",
                body="<script>only a script</script>",
                visible_program_ids=[foreign_program.pk],
                visible_tier_ids=[foreign_tier.pk],
                expire_at=now,
            )
        assert set(error.value.fields) == {"title", "body", "visible_program_ids", "visible_tier_ids", "expire_at"}
        with pytest.raises(InvalidInput) as error:
            announcement_create(actor=manager, title="x", body="<p>x</p>", publish_at=now, expire_at=now)
        assert set(error.value.fields) == {"expire_at"}
        assert not Announcement.objects.exists()


def test_publish_now_or_scheduled_then_back_to_draft(tenant_a, manager):
    with tenant_context(tenant_a):
        draft = announcement_create(actor=manager, title="Q3 kick-off", body="<p>Join us</p>")
        at = timezone.now() + timedelta(days=2)
        scheduled = announcement_publish(actor=manager, announcement=draft, at=at)
        assert scheduled.publish_at == at
        live = announcement_publish(actor=manager, announcement=scheduled)  # a scheduled one can go out now
        assert live.publish_at <= timezone.now()
        with pytest.raises(StateConflict) as error:
            announcement_publish(actor=manager, announcement=live)
        assert error.value.current_state == "live"
        back = announcement_unpublish(actor=manager, announcement=live)
        assert back.publish_at is None and back.expire_at is None
        with pytest.raises(StateConflict):
            announcement_unpublish(actor=manager, announcement=back)


def test_publishing_after_the_expiry_is_refused(tenant_a, manager):
    with tenant_context(tenant_a):
        soon = timezone.now() + timedelta(days=1)
        announcement = announcement_create(
            actor=manager, title="x", body="<p>x</p>", publish_at=soon, expire_at=soon + timedelta(days=1)
        )
        with pytest.raises(InvalidInput) as error:
            announcement_publish(actor=manager, announcement=announcement, at=soon + timedelta(days=2))
        assert "publish_at" in error.value.fields
        expired = AnnouncementFactory(
            tenant=tenant_a,
            publish_at=timezone.now() - timedelta(days=2),
            expire_at=timezone.now() - timedelta(days=1),
        )
        with pytest.raises(StateConflict):
            announcement_publish(actor=manager, announcement=expired)


def test_update_pin_and_unpin(tenant_a, manager):
    with tenant_context(tenant_a):
        announcement = AnnouncementFactory(tenant=tenant_a)
        changed = announcement_update(
            actor=manager, announcement=announcement, body="<p>New <b>text</b><style>x</style>"
        )
        assert changed.body == "<p>New <b>text</b></p>"
        assert announcement_pin(actor=manager, announcement=changed).is_pinned
        assert not announcement_unpin(actor=manager, announcement=changed).is_pinned
        with pytest.raises(InvalidInput):
            announcement_update(actor=manager, announcement=changed, title="")


def test_reading_is_idempotent_and_all_can_be_marked_at_once(tenant_a, manager):
    with tenant_context(tenant_a):
        first, second, third = (AnnouncementFactory(tenant=tenant_a) for _ in range(3))
        announcement_mark_read(user=manager, announcement=first)
        announcement_mark_read(user=manager, announcement=first)
        assert AnnouncementRead.objects.count() == 1
        assert announcements_mark_all_read(user=manager, announcements=Announcement.objects.all()) == 2
        assert announcements_mark_all_read(user=manager, announcements=Announcement.objects.all()) == 0
        assert AnnouncementRead.objects.filter(user=manager).count() == 3
        assert {second.pk, third.pk} <= set(AnnouncementRead.objects.values_list("announcement_id", flat=True))
