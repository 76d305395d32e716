from prm.tenancy.celery import tenant_task

from ..models import Deal
from ..services.notices import deal_email_send


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deal_email_send_task(*, tenant_id: int, deal_id: int, kind: str, user_ids: list[int], note: str = "") -> None:
    deal = Deal.objects.select_related("tenant", "partner").get(pk=deal_id)
    deal_email_send(deal=deal, kind=kind, user_ids=user_ids, note=note)
