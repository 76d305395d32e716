"""OpenAPI: the bearer scheme and the error responses every operation can really return."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable error code, e.g. validation_error, not_found.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages (dotted paths for nested input).",
    )
    current_state = serializers.CharField(required=False, help_text="On 409: the object's current state.")
    retry_after = serializers.IntegerField(required=False, help_text="On 429: seconds to wait.")


class ErrorEnvelopeSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: "Invalid input",
    401: "Missing or invalid credentials",
    403: "Authenticated but not allowed",
    404: "Not found (or belongs to another tenant or partner)",
    409: "Not allowed in the object's current state, or a duplicate",
    413: "Request body too large",
    415: "Unsupported media type",
    429: "Throttled",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error envelope for each status an operation can answer.

    A view lists the actions (or HTTP methods) that can answer 409 in
    `conflict_actions`; everything else follows from the operation's shape.
    """

    def _error_statuses(self) -> set[int]:
        statuses = {429}
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            statuses |= {401, 403}
        if self.method in ("POST", "PUT", "PATCH"):
            statuses |= {400, 413, 415}
        if self._is_list_view() and getattr(self.view, "filterset_class", None):
            statuses.add(400)
        if "{" in self.path:
            statuses.add(404)
        conflicts = getattr(self.view, "conflict_actions", ())
        if getattr(self.view, "action", None) in conflicts or self.method.lower() in conflicts:
            statuses.add(409)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self._error_statuses()):
            code = str(status)
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorEnvelopeSerializer, description=ERROR_DESCRIPTIONS[status]), code
                )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "prm.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "prm_<prefix>_<secret>",
            "description": "A token from POST /api/v1/auth/token, valid only on the tenant host that issued it.",
        }
