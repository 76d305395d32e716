from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_recent(*, limit: int = 8) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-created_at", "-id")[:limit]
