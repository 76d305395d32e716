"""One error envelope for every API failure: {"error": {"code", "message", "fields"?, ...}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from prm.errors import DomainError, StateConflict


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _lazy("Request body too large.")
    default_code = "payload_too_large"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors → {"lines.0.quantity": ["..."]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]}


def envelope(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}}


def _domain_response(exc: DomainError) -> Response:
    extra = {"fields": exc.fields or None}
    if isinstance(exc, StateConflict):
        extra["current_state"] = exc.current_state
    return Response(envelope(exc.code, exc.message, **extra), status=exc.status)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return _domain_response(exc)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = envelope("validation_error", _("Invalid input."), fields=_flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        extra = {"retry_after": exc.wait and int(exc.wait)} if isinstance(exc, exceptions.Throttled) else {}
        body = envelope(code if isinstance(code, str) else "error", str(detail), **extra)
    response.data = body
    return response


def api_not_found(request, exception=None):
    return JsonResponse(envelope("not_found", _("Not found.")), status=404)


def api_server_error(request):
    return JsonResponse(envelope("server_error", _("Something went wrong on our side.")), status=500)
