from prm.tenancy.celery import tenant_task

from .services import notification_email_send


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_email_send_task(*, tenant_id: int, notification_ids: list[int]) -> int:
    return notification_email_send(notification_ids=notification_ids)
