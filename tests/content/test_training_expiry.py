"""Certification expiry and reminders: expired ones end and the holder is told, holders are reminded once 30 days
before, a rerun sends nothing twice, a late run does not remind one that already expired; and once through a real
Celery worker over Redis, with the beat entry fanning out to every tenant."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from content.models import Certification
from content.services import certifications_sweep
from content.tasks import certifications_sweep_all_task, certifications_sweep_task
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.content.training_factories import CertificationFactory, CourseFactory, partner_in
from tests.factories import partner_member
from tests.worker_support import wait_for, worker_drained


def _holder(tenant):
    return partner_member(partner_in(tenant)).user


@pytest.mark.django_db
def test_expire_and_remind_once(tenant_a, django_capture_on_commit_callbacks, celery_eager):
    now = timezone.now()
    course = CourseFactory(tenant=tenant_a)
    expired = CertificationFactory(course=course, user=_holder(tenant_a), expires_at=now - timedelta(hours=1))
    soon = CertificationFactory(course=course, user=_holder(tenant_a), expires_at=now + timedelta(days=29))
    later = CertificationFactory(course=course, user=_holder(tenant_a), expires_at=now + timedelta(days=31))
    forever = CertificationFactory(course=course, user=_holder(tenant_a), expires_at=None)
    with tenant_context(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            result = certifications_sweep(now=now)
        assert (result.expired, result.reminded) == ([expired.pk], [soon.pk])
        expired.refresh_from_db()
        assert (expired.status, expired.ended_at) == ("expired", now)
        soon.refresh_from_db()
        assert soon.status == "active" and soon.reminded_at == now
        later.refresh_from_db()
        forever.refresh_from_db()
        assert later.reminded_at is None and forever.status == "active"
        titles = sorted(Notification.objects.values_list("title", flat=True))
        assert len(titles) == 2 and any("has expired" in t for t in titles) and any("expires on" in t for t in titles)
        assert sorted(message.to[0] for message in mail.outbox) == sorted([expired.user.email, soon.user.email])
        url = Notification.objects.get(user=soon.user).url
        assert url == f"/training/certifications/{soon.pk}/"

        # a rerun sends nothing
        again = certifications_sweep(now=now + timedelta(hours=1))
        assert (again.expired, again.reminded) == ([], [])
        assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_a_late_run_expires_without_reminding_first(tenant_a):
    now = timezone.now()
    missed = CertificationFactory(
        course=CourseFactory(tenant=tenant_a), user=_holder(tenant_a), expires_at=now - timedelta(days=2)
    )
    with tenant_context(tenant_a):
        result = certifications_sweep(now=now)
        assert (result.expired, result.reminded) == ([missed.pk], [])
        assert Notification.objects.filter(user=missed.user).count() == 1
        missed.refresh_from_db()
        assert missed.reminded_at is None


def test_the_beat_entry_runs_the_fan_out_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["content-certifications"]
    assert entry["task"] == "content.tasks.training.certifications_sweep_all_task"


@pytest.mark.django_db(transaction=True)
def test_the_worker_expires_and_reminds_once(worker, tenant_a, tenant_b):
    now = timezone.now()
    with tenant_context(tenant_a):
        gone = CertificationFactory(
            course=CourseFactory(tenant=tenant_a), user=_holder(tenant_a), expires_at=now + timedelta(days=10)
        )
    with tenant_context(tenant_b):
        other = CertificationFactory(
            course=CourseFactory(tenant=tenant_b), user=_holder(tenant_b), expires_at=now - timedelta(days=1)
        )

    def state(tenant, certification):
        with tenant_context(tenant):
            row = Certification.objects.get(pk=certification.pk)
            return row.status, row.reminded_at is not None, Notification.objects.filter(user=row.user).count()

    certifications_sweep_task.delay(tenant_id=tenant_a.pk, now=now.isoformat())
    wait_for(lambda: state(tenant_a, gone) == ("active", True, 1))
    certifications_sweep_task.delay(tenant_id=tenant_a.pk, now=(now + timedelta(days=11)).isoformat())
    wait_for(lambda: state(tenant_a, gone) == ("expired", True, 2))
    certifications_sweep_task.delay(tenant_id=tenant_a.pk, now=(now + timedelta(days=11)).isoformat())
    worker_drained(tenant_a)
    assert state(tenant_a, gone) == ("expired", True, 2)
    assert state(tenant_b, other) == ("active", False, 0)  # another tenant's run is its own

    certifications_sweep_all_task.delay()
    wait_for(lambda: state(tenant_b, other) == ("expired", False, 1))
