"""The optional email to the audience: when an announcement that asks for it goes live (published now, or a
scheduled one whose time came, picked up by the sweep), every active user of every matching partner gets one email
and one notification — exactly once: a rerun, a second sweep or a republication sends nothing. Non-matching
partners, inactive people, the vendor's staff and the other tenant get none; a draft sends none."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from content.models import Announcement
from content.services import (
    announcement_create,
    announcement_email_send,
    announcement_publish,
    announcement_unpublish,
    announcements_due_send,
)
from content.tasks import announcements_due_send_all_task
from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member


@pytest.fixture
def world(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        gold, silver = TierFactory(program=program), TierFactory(program=program)
        gold_partner = PartnerFactory(program=program, tier=gold, regions=["europe"])
        gold_in_asia = PartnerFactory(program=program, tier=gold, regions=["asia_pacific"])
        silver_partner = PartnerFactory(program=program, tier=silver, regions=["europe"])
        offboarded = PartnerFactory(program=program, tier=gold, regions=["europe"], status="offboarded")
        admin = partner_member(gold_partner, email="admin@gold.example")
        rep = partner_member(gold_partner, role=Role.PARTNER_REP, email="rep@gold.example")
        gone = partner_member(gold_partner, role=Role.PARTNER_REP, email="gone@gold.example")
        gone.is_active = False
        gone.save()
        partner_member(gold_in_asia, email="asia@gold.example")
        partner_member(silver_partner, email="someone@silver.example")
        partner_member(offboarded, email="left@offboarded.example")
        manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER, user__email="cm@vendor.example")
    with tenant_context(tenant_b):
        other = PartnerFactory(program=ProgramFactory(tenant=tenant_b), regions=["europe"])
        partner_member(other, email="partner@globex.example")
    return {"gold": gold, "admin": admin, "rep": rep, "manager": manager.user}


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _gold_europe_news(world, **values):
    return announcement_create(
        actor=world["manager"],
        title="Gold partners: new demo kit",
        body="<p>Order your <strong>demo kit</strong> now.</p>",
        send_email=True,
        visible_tier_ids=[world["gold"].pk],
        visible_regions=["europe"],
        **values,
    )


def test_publishing_emails_the_matching_active_people_once(
    world, tenant_a, celery_eager, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            draft = _gold_europe_news(world)
        assert mail.outbox == []  # a draft sends nothing
        with django_capture_on_commit_callbacks(execute=True):
            announcement_publish(actor=world["manager"], announcement=draft)
        assert _recipients() == ["admin@gold.example", "rep@gold.example"]
        assert mail.outbox[0].subject == "Gold partners: new demo kit"
        assert Notification.objects.filter(title="Gold partners: new demo kit").count() == 2
        announcement = Announcement.objects.get(pk=draft.pk)
        assert announcement.emailed_at is not None
        # a rerun, a sweep, and a republication send nothing more
        with django_capture_on_commit_callbacks(execute=True):
            assert announcement_email_send(announcement_id=announcement.pk) == 0
            assert announcements_due_send() == []
            announcement_unpublish(actor=world["manager"], announcement=announcement)
            announcement_publish(actor=world["manager"], announcement=announcement)
        assert len(mail.outbox) == 2


def test_without_send_email_nobody_is_emailed(world, tenant_a, celery_eager, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        announcement_create(actor=world["manager"], title="Quiet news", body="<p>x</p>", publish_at=timezone.now())
    assert mail.outbox == []


def test_a_scheduled_one_is_emailed_by_the_sweep_when_its_time_comes(
    world, tenant_a, celery_eager, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            scheduled = _gold_europe_news(world, publish_at=timezone.now() + timedelta(hours=1))
            assert announcements_due_send() == []
        assert mail.outbox == []
        Announcement.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        announcements_due_send_all_task.delay()  # beat's entry: fans out to every active tenant
    assert _recipients() == ["admin@gold.example", "rep@gold.example"]
    with django_capture_on_commit_callbacks(execute=True):
        announcements_due_send_all_task.delay()
    assert len(mail.outbox) == 2


def test_the_audience_is_read_in_one_query_whatever_the_number_of_partners(world, tenant_a, django_assert_num_queries):
    from content.selectors import announcement_audience_users

    with tenant_context(tenant_a):
        for _ in range(5):
            partner_member(PartnerFactory(program=world["gold"].program, tier=world["gold"], regions=["europe"]))
        announcement = _gold_europe_news(world)
        with django_assert_num_queries(1):
            people = list(announcement_audience_users(announcement))
    assert len(people) == 7  # the gold partner's admin and rep, and one admin of each new gold partner
