"""The expiry through a real Celery worker over Redis: the worker expires what is left of an expired fund's
allocation once, a second run changes nothing, and the beat entry fans out to every tenant."""

import datetime
from decimal import Decimal

import pytest

from mdf.models import Allocation
from mdf.tasks import mdf_expiry_sweep_all_task, mdf_expiry_sweep_task
from prm.tenancy.context import tenant_context
from tests.worker_support import wait_for, worker_drained

from .factories import Q3_2026, mdf_world

EXPIRES_ON = datetime.date(2026, 11, 29)


@pytest.mark.django_db(transaction=True)
def test_the_worker_expires_an_allocation_once(worker, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        world = mdf_world(tenant_a, **Q3_2026)
    with tenant_context(tenant_b):
        other = mdf_world(tenant_b, **Q3_2026)
        # Long expired by any real today: the beat entry (no date) expires it.
        other.fund.starts_on, other.fund.ends_on = datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
        other.fund.save(update_fields=["starts_on", "ends_on"])

    def expired(tenant, allocation):
        with tenant_context(tenant):
            return Allocation.objects.get(pk=allocation.pk).expired_amount

    mdf_expiry_sweep_task.delay(tenant_id=tenant_a.pk, today=(EXPIRES_ON - datetime.timedelta(days=1)).isoformat())
    worker_drained(tenant_a)
    assert expired(tenant_a, world.allocation) == Decimal("0.00")

    mdf_expiry_sweep_task.delay(tenant_id=tenant_a.pk, today=EXPIRES_ON.isoformat())
    wait_for(lambda: expired(tenant_a, world.allocation) == Decimal("3000.00"))
    mdf_expiry_sweep_task.delay(tenant_id=tenant_a.pk, today=EXPIRES_ON.isoformat())
    worker_drained(tenant_a)
    assert expired(tenant_a, world.allocation) == Decimal("3000.00")
    assert expired(tenant_b, other.allocation) == Decimal("0.00")  # another tenant's run is its own

    mdf_expiry_sweep_all_task.delay()
    wait_for(lambda: expired(tenant_b, other.allocation) == Decimal("3000.00"))
