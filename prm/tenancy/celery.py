"""Celery tasks that act for one tenant.

    @tenant_task
    def deal_expire_task(*, tenant_id: int, deal_id: int): ...

    deal_expire_task.delay_on_commit(tenant_id=tenant.id, deal_id=deal.id)

The task receives `tenant_id` explicitly; the body runs inside that tenant's
context (manager scope + PostgreSQL setting) and leaves it in a `finally`.
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from .context import tenant_context
from .models import Tenant


class TenantTask(DjangoTask):
    def __call__(self, *args, **kwargs):
        tenant_id = kwargs.get("tenant_id")
        if tenant_id is None:
            raise TypeError(f"{self.name} must be called with tenant_id=<id>.")
        tenant = Tenant.objects.get(pk=tenant_id)
        with tenant_context(tenant):
            return super().__call__(*args, **kwargs)


def tenant_task(*args, **options):
    options.setdefault("base", TenantTask)
    return shared_task(*args, **options)


def fan_out_to_tenants(task, **kwargs) -> int:
    """Enqueue `task(tenant_id=…, **kwargs)` once per active tenant; for beat entries that act per vendor."""
    tenant_ids = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("pk").values_list("pk", flat=True))
    for tenant_id in tenant_ids:
        task.delay(tenant_id=tenant_id, **kwargs)
    return len(tenant_ids)
