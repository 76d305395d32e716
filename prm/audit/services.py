import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from prm.tenancy.context import current_tenant
from prm.tenancy.models import Tenant

from .models import AuditEvent

SYSTEM_ACTOR = "system"


def _json_safe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def audit_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-safe values, to diff before and after a change."""
    return {name: _json_safe(getattr(obj, name)) for name in fields}


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    keys = list(before) + [key for key in after if key not in before]
    return {key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)}


def _tenant_of(obj: models.Model | None) -> Tenant:
    if isinstance(obj, Tenant):
        return obj
    tenant_id = getattr(obj, "tenant_id", None)
    if tenant_id is not None:
        return obj.tenant
    return current_tenant()


def audit_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    changes: dict[str, list] | None = None,
    context: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction, after the write."""
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    return AuditEvent.objects.create(
        tenant=_tenant_of(obj),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor.email if getattr(actor, "is_authenticated", False) else SYSTEM_ACTOR,
        action=action,
        content_type=content_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=_json_safe(changes or {}),
        context=_json_safe(context or {}),
    )
