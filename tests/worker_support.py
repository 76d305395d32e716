"""A real Celery worker for integration tests (the `worker` fixture in tests/conftest.py) and ways to wait for it."""

import time
import uuid

from django.core.cache import cache

from prm.tenancy.celery import tenant_task


@tenant_task
def worker_probe_task(*, tenant_id: int, report_key: str) -> None:
    """Queued behind other tasks: when it reports, the solo worker has finished what came before."""
    cache.set(report_key, True, timeout=60)


def wait_for(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not get there in time")


def worker_drained(tenant) -> None:
    """Wait until the worker has run everything queued so far (a probe queued last has reported)."""
    key = f"worker-probe:{uuid.uuid4()}"
    worker_probe_task.delay(tenant_id=tenant.pk, report_key=key)
    wait_for(lambda: cache.get(key))
