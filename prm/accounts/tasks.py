from prm.tenancy.celery import tenant_task

from .models import Membership
from .services import membership_invitation_send


@tenant_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def membership_invitation_send_task(*, tenant_id: int, membership_id: int) -> None:
    membership = Membership.objects.select_related("tenant", "user", "invited_by").get(pk=membership_id)
    membership_invitation_send(membership=membership)
