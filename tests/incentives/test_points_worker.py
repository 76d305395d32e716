"""The points expiry through a real Celery worker over Redis: the beat entry fans out per tenant, the worker
posts the expiry lines, and a second run the same day posts nothing."""

from datetime import date

import pytest
from django.conf import settings

from incentives.models import LedgerEntry
from incentives.tasks import points_expire_all_task, points_expire_task
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, partner_member
from tests.worker_support import wait_for, worker_drained

from .factories import points_line

DAY = date(2026, 3, 1)


def test_the_beat_entry_is_daily_and_names_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["incentives-points-expiry"]
    assert entry["task"] == "incentives.tasks.points.points_expire_all_task"


@pytest.mark.django_db(transaction=True)
def test_the_worker_expires_points_once(worker, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, role=Role.PARTNER_REP).user
        points_line(user=rep, for_partner=partner, amount=300, occurred_on=date(2025, 2, 1))
        points_line(user=rep, for_partner=partner, amount=-100, occurred_on=date(2025, 6, 1), entry_type="redemption")
        points_line(partner=partner, amount=50, occurred_on=date(2025, 4, 1))  # not yet 12 months old

    def expiries():
        with tenant_context(tenant_a):
            return list(LedgerEntry.objects.filter(entry_type="expiry").values_list("recipient_user_id", "amount"))

    points_expire_task.delay(tenant_id=tenant_a.pk, today=DAY.isoformat())
    wait_for(lambda: expiries())
    assert expiries() == [(rep.pk, -200)]

    points_expire_task.delay(tenant_id=tenant_a.pk, today=DAY.isoformat())
    worker_drained(tenant_a)
    assert expiries() == [(rep.pk, -200)]

    # The beat entry: one expiry per tenant on its own today (long after 1 April 2026: the company's 50 go too).
    points_expire_all_task.delay()
    wait_for(lambda: len(expiries()) == 2)
    worker_drained(tenant_a)
    assert sorted(expiries(), key=str) == sorted([(rep.pk, -200), (None, -50)], key=str)
