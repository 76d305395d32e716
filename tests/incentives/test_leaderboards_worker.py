"""The leaderboard refresh through a real Celery worker over Redis."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import LeaderboardSnapshot
from incentives.tasks import leaderboards_refresh_task
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, SaleRecordFactory
from tests.worker_support import wait_for


@pytest.mark.django_db(transaction=True)
def test_the_worker_refreshes_the_given_periods(worker, tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        SaleRecordFactory(partner=partner, amount=Decimal("420.00"), booked_on=date(2026, 8, 3))

    def rows():
        with tenant_context(tenant_a):
            return sorted(LeaderboardSnapshot.objects.values_list("period", "metric", "scope", "value", "rank"))

    leaderboards_refresh_task.delay(tenant_id=tenant_a.pk, period_keys=["2026-08", "2026-Q3"])
    wait_for(lambda: len(rows()) == 2)
    assert rows() == [
        ("2026-08", "revenue", "partner", Decimal("420.00"), 1),
        ("2026-Q3", "revenue", "partner", Decimal("420.00"), 1),
    ]
