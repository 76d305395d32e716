"""Two managers prepare payouts at the same moment: every line lands in exactly one payout."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from incentives.models import Payout, PayoutItem
from incentives.services import payouts_prepare
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, TenantFactory
from tests.incentives.factories import IncentiveProgramFactory, LedgerEntryFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_prepares_put_each_line_in_one_payout():
    tenant = TenantFactory(slug="acme")
    with tenant_context(tenant):
        program = IncentiveProgramFactory(tenant=tenant)
        partners = [PartnerFactory(program__tenant=tenant) for _ in range(3)]
        for partner in partners:
            for amount in ("10.00", "20.00"):
                LedgerEntryFactory(program=program, partner=partner, amount=Decimal(amount))
    start = threading.Barrier(2)
    results = []

    def prepare():
        start.wait()
        try:
            with tenant_context(tenant):
                results.append(payouts_prepare(actor=None, currency="USD"))
        finally:
            connection.close()

    threads = [threading.Thread(target=prepare) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # both finished: one prepared every payout, the other found nothing pending
    assert sorted(len(result) for result in results) == [0, 3]
    with tenant_context(tenant):
        assert Payout.objects.count() == 3 and PayoutItem.objects.count() == 6
        assert sorted(Payout.objects.values_list("amount", flat=True)) == [Decimal("30.00")] * 3
