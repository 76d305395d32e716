from prm.accounts.models import User
from prm.tenancy.celery import tenant_task

from ..models import PartnerApplication
from ..services.applications import application_email_send


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def application_email_send_task(
    *, tenant_id: int, application_id: int, kind: str, note: str = "", reply_to_user_id: int | None = None
) -> None:
    application = PartnerApplication.objects.select_related("tenant", "program").get(pk=application_id)
    reply_to = ""
    if reply_to_user_id is not None:
        reply_to = User.objects.filter(pk=reply_to_user_id).values_list("email", flat=True).first() or ""
    application_email_send(application=application, kind=kind, note=note, reply_to_email=reply_to)
