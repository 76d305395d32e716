"""The announcement email through a real Celery worker over Redis: beat's sweep fans out to every tenant, the
scheduled announcement whose time came is emailed to its audience once, and a second sweep sends nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from content.models import Announcement
from content.tasks import announcements_due_send_all_task
from prm.tenancy.context import tenant_context
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import PartnerFactory, ProgramFactory, partner_member
from tests.worker_support import wait_for, worker_drained


@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_a_scheduled_announcement_once(worker, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program=ProgramFactory(tenant=tenant_a))
        partner_member(partner, email="reader@partner.example")
        due = AnnouncementFactory(
            tenant=tenant_a, title="Due now", send_email=True, publish_at=timezone.now() - timedelta(minutes=1)
        )
        later = AnnouncementFactory(
            tenant=tenant_a, title="Later", send_email=True, publish_at=timezone.now() + timedelta(days=1)
        )
    with tenant_context(tenant_b):
        other = PartnerFactory(program=ProgramFactory(tenant=tenant_b))
        partner_member(other, email="reader@globex-partner.example")

    announcements_due_send_all_task.delay()
    wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["reader@partner.example"] and mail.outbox[0].subject == "Due now"

    announcements_due_send_all_task.delay()
    worker_drained(tenant_a)
    worker_drained(tenant_a)  # the sweep's per-announcement tasks queue behind the first probe
    assert len(mail.outbox) == 1
    with tenant_context(tenant_a):
        assert Announcement.objects.get(pk=due.pk).emailed_at is not None
        assert Announcement.objects.get(pk=later.pk).emailed_at is None
