from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from prm.accounts.permissions import request_membership
from prm.accounts.roles import capabilities_of
from prm.accounts.selectors import user_has_mfa

from .me import me_extension_values
from .models import ApiToken
from .selectors import api_token_list
from .serializers import ApiTokenSerializer, IssuedTokenSerializer, MeSerializer, TokenObtainSerializer
from .services import TooManyAttempts, api_token_obtain, api_token_revoke


class TokenObtainView(APIView):
    """Exchange credentials for a bearer token valid on this tenant's host only."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(request=TokenObtainSerializer, responses={201: IssuedTokenSerializer}, auth=[])
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token, raw = api_token_obtain(request=request._request, **serializer.validated_data)
        except TooManyAttempts as exc:
            raise Throttled(detail=str(exc)) from exc
        token.token = raw
        return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your own tokens at this tenant. DELETE revokes (the row stays, for the audit trail)."""

    queryset = ApiToken.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = ApiTokenSerializer
    conflict_actions = {"destroy"}
    ordering_fields = ["created_at", "last_used_at"]

    def get_queryset(self):
        return api_token_list(user=self.request.user)

    def perform_destroy(self, instance):
        api_token_revoke(token=instance, actor=self.request.user)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        membership = request_membership(request)
        user, tenant = request.user, request.tenant
        data = {
            "user": {
                "id": user.pk,
                "email": user.email,
                "full_name": user.full_name,
                "mfa_enabled": user_has_mfa(user=user),
            },
            "tenant": {
                "slug": tenant.slug,
                "name": tenant.name,
                "title": str(tenant.title),
                "currency": tenant.currency,
                "timezone": tenant.timezone,
                "default_language": tenant.default_language,
            },
            "roles": [membership.role],
            "capabilities": capabilities_of(membership.role),
            **me_extension_values(request),
        }
        return Response(MeSerializer(data).data)
