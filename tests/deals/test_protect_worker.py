"""The protection sweep through a real Celery worker over Redis: expiry and a reminder with their emails
sent by the worker after commit, then a rerun the same day that changes and sends nothing."""

import time
import uuid
from datetime import date, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache

from deals.models import Deal, ProtectionReminder
from deals.tasks.protection import deal_protection_sweep_task
from prm.accounts.roles import Role
from prm.celery import app
from prm.notifications.models import Notification
from prm.tenancy.celery import tenant_task
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, PartnerFactory, partner_member

DAY = date(2026, 6, 1)


@tenant_task
def protect_probe_task(*, tenant_id: int, report_key: str) -> None:
    """Queued behind the sweep: when it reports, the solo worker has finished what came before."""
    cache.set(report_key, True, timeout=60)


def wait_for(condition, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not get there in time")


@pytest.fixture
def worker(transactional_db):
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        yield


@pytest.mark.django_db(transaction=True)
def test_the_worker_expires_and_reminds_once(worker, tenant_a):
    partner = PartnerFactory(program__tenant=tenant_a)
    rep = partner_member(partner, role=Role.PARTNER_REP, email="rep@partner.example")
    ended = DealFactory(partner=partner, registered_by=rep.user, status="approved", protected_until=DAY - timedelta(1))
    ending = DealFactory(partner=partner, registered_by=rep.user, status="approved", protected_until=DAY + timedelta(7))

    def state():
        with tenant_context(tenant_a):
            return (
                list(Deal.objects.order_by("pk").values_list("pk", "status")),
                list(ProtectionReminder.objects.values_list("deal_id", "days_before")),
                Notification.objects.count(),
            )

    deal_protection_sweep_task.delay(tenant_id=tenant_a.pk, today=DAY.isoformat())
    wait_for(lambda: len(mail.outbox) == 2)
    assert state() == ([(ended.pk, "expired"), (ending.pk, "approved")], [(ending.pk, 7)], 2)
    assert sorted(message.subject for message in mail.outbox) == [
        f"Protection ended: {ended.customer_name}",
        f"Protection of {ending.customer_name} ends in 7 days",
    ]

    deal_protection_sweep_task.delay(tenant_id=tenant_a.pk, today=DAY.isoformat())
    key = f"protect-probe:{uuid.uuid4()}"
    protect_probe_task.delay(tenant_id=tenant_a.pk, report_key=key)
    wait_for(lambda: cache.get(key))
    assert state() == ([(ended.pk, "expired"), (ending.pk, "approved")], [(ending.pk, 7)], 2)
    assert len(mail.outbox) == 2
