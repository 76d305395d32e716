"""What refusing and returning share for requests and claims: the reason is required and recorded with who
decided and when, and audited."""

from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import InvalidInput


def decision_record(obj, *, actor, status: str, reason: str, audit_action: str) -> None:
    """Move a (locked) request or claim to `status` with the reason the partner reads."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the partner the reason.")
        raise InvalidInput(message, fields={"reason": [message]})
    obj.status, obj.decision_reason = status, reason
    obj.decided_at, obj.decided_by = timezone.now(), actor
    obj.save(update_fields=["status", "decision_reason", "decided_at", "decided_by", "updated_at"])
    audit_record(action=audit_action, actor=actor, obj=obj, context={"reason": reason})
