"""The protection sweep through a real Celery worker over Redis: expiry and a reminder with their emails
sent by the worker after commit, then a rerun the same day that changes and sends nothing."""

from datetime import date, timedelta

import pytest
from django.core import mail

from deals.models import Deal, ProtectionReminder
from deals.tasks.protection import deal_protection_sweep_task
from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, PartnerFactory, partner_member
from tests.worker_support import wait_for, worker_drained

DAY = date(2026, 6, 1)


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
    worker_drained(tenant_a)
    assert state() == ([(ended.pk, "expired"), (ending.pk, "approved")], [(ending.pk, 7)], 2)
    assert len(mail.outbox) == 2
