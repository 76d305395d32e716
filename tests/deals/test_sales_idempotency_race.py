"""Two requests with the same Idempotency-Key at the same moment: one records, the other waits and replays."""

import threading

import pytest
from django.db import connection

from deals.models import SaleRecord
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.factories import TenantFactory

from .sales_world import sale_row, sales_world


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_record_once():
    tenant_a, tenant_b = TenantFactory(slug="acme"), TenantFactory(slug="globex")
    world = sales_world(tenant_a, tenant_b)
    api = Api(tenant_a, world["manager"])
    batch = [sale_row(), sale_row(external_id="INV-1002")]
    start = threading.Barrier(2)
    responses = []

    def send():
        start.wait()
        try:
            responses.append(api.post("/api/v1/sales/", batch, HTTP_IDEMPOTENCY_KEY="race-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in responses) == [201, 201]
    first, second = (response.json() for response in responses)
    assert first == second and first["created"] == 2
    assert sum(response.headers.get("Idempotent-Replayed") == "true" for response in responses) == 1
    with tenant_context(tenant_a):
        assert SaleRecord.objects.count() == 2
