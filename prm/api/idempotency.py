"""`Idempotency-Key` for POSTs that create money-relevant records (api.md), reusable by any view:

    @extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER], ...)
    @idempotent
    def create(self, request, *args, **kwargs): ...

A request carrying the header runs in one transaction that first claims the key for the user at the
tenant (INSERT … ON CONFLICT DO NOTHING, then a row lock), so a concurrent request with the same key
waits for the first one to finish. A successful (2xx) answer is stored with the key; a repeat with the
same method, path and body gets that answer again (status and body, header `Idempotent-Replayed: true`)
and runs nothing. The same key with a different request is refused with 409 `idempotency_key_reused`.
An error or a non-2xx answer rolls the claim back: the key stays free for a corrected request.
Requests without the header are handled as usual.
"""

import hashlib
import json
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from prm.errors import DomainError, InvalidInput

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique value per intended operation (e.g. a UUID), at most 255 characters. Sending the same "
        "request again with the same key returns the first successful response and creates nothing new; "
        "the same key with a different request answers 409 (idempotency_key_reused)."
    ),
)


class IdempotencyKeyReused(DomainError):
    """The key was already used for a different request (HTTP 409)."""

    code = "idempotency_key_reused"
    status = 409


def request_fingerprint(*, method: str, path: str, body) -> str:
    """SHA-256 of method, path and the body as canonical JSON (key order and whitespace do not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(f"{method.upper()}\n{path}\n{canonical}".encode()).hexdigest()


def idempotency_key_of(request) -> str | None:
    """The request's Idempotency-Key, None without the header; InvalidInput for an unusable value."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        message = _("The Idempotency-Key header must be 1 to %(max)d printable characters.") % {"max": MAX_KEY_LENGTH}
        raise InvalidInput(message, fields={HEADER: [message]})
    return key


def idempotent_request_claim(*, user, key: str, method: str, path: str, fingerprint: str) -> IdempotentRequest:
    """The locked row of `key` for `user` at the tenant in context, created (empty) when new.

    Call inside a transaction: a concurrent claim of the same key blocks until this one commits or rolls back.
    A stored answer for another request raises IdempotencyKeyReused.
    """
    IdempotentRequest.objects.bulk_create(
        [IdempotentRequest(user=user, key=key, method=method, path=path, request_hash=fingerprint)],
        ignore_conflicts=True,
    )
    record = IdempotentRequest.objects.select_for_update().get(user=user, key=key)
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            _(
                "This Idempotency-Key was already used for a different request (%(method)s %(path)s). "
                "Use a new key for a new request."
            )
            % {"method": record.method, "path": record.path}
        )
    return record


def idempotent_request_complete(*, record: IdempotentRequest, status_code: int, body) -> IdempotentRequest:
    record.status_code = status_code
    record.response_body = body
    record.save(update_fields=["status_code", "response_body"])
    return record


def _json_body(data):
    """The body exactly as the client received it (rendered JSON, read back)."""
    return json.loads(JSONRenderer().render(data)) if data is not None else None


def idempotent(handler):
    """Decorate a DRF view method (`create`, `post`) to honour the Idempotency-Key header."""

    @wraps(handler)
    def wrapped(view, request, *args, **kwargs):
        key = idempotency_key_of(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        method, path = request.method, request.path
        fingerprint = request_fingerprint(method=method, path=path, body=request.data)
        with transaction.atomic():
            record = idempotent_request_claim(
                user=request.user, key=key, method=method, path=path, fingerprint=fingerprint
            )
            if record.status_code is not None:
                return Response(record.response_body, status=record.status_code, headers={REPLAYED_HEADER: "true"})
            response = handler(view, request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            idempotent_request_complete(record=record, status_code=response.status_code, body=_json_body(response.data))
            return response

    return wrapped
