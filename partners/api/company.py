"""API: /partners/ (profile, lifecycle actions) and /partners/{id}/users/ (a partner's people)."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from prm.accounts.permissions import request_can
from prm.accounts.roles import PARTNER_ROLES, Role

from .. import services
from ..access import can_edit_profile, can_manage_people, can_view_people
from ..filters.partners import PartnerFilterSet
from ..models import Partner
from ..permissions import partners_visible_to
from ..profile import PROFILE_FIELDS, Capability, CompanySize, PartnerType, Region, Vertical
from ..selectors import partner_directory, partner_people, partner_user_get


# --- Serializers ---------------------------------------------------------------------------------
class ProgramRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class TierSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class PartnerSerializer(serializers.ModelSerializer):
    program = ProgramRefSerializer(read_only=True)
    tier = TierSummarySerializer(read_only=True, allow_null=True)
    channel_manager = UserRefSerializer(read_only=True, allow_null=True)
    onboarding_progress = serializers.IntegerField(read_only=True, help_text="Whole percent of required steps done.")
    logo_url = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "website",
            "domain",
            *PROFILE_FIELDS,
            "status",
            "status_changed_at",
            "program",
            "tier",
            "channel_manager",
            "joined_at",
            "onboarded_at",
            "onboarding_progress",
            "logo_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_logo_url(self, partner) -> str | None:
        return reverse("partners:partner-logo", args=[partner.pk]) if partner.logo else None


def _choices_list(choices):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False, max_length=20)


class PartnerProfileSerializer(serializers.Serializer):
    """PATCH body: any subset of the profile. Country is an ISO 3166 alpha-2 code."""

    name = serializers.CharField(required=False, max_length=160)
    website = serializers.URLField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    regions = _choices_list(Region.choices)
    types = _choices_list(PartnerType.choices)
    verticals = _choices_list(Vertical.choices)
    capabilities = _choices_list(Capability.choices)
    products_sold = serializers.CharField(required=False, allow_blank=True)
    other_vendor_programs = serializers.CharField(required=False, allow_blank=True)
    business_model = serializers.CharField(required=False, allow_blank=True, max_length=160)
    company_size = serializers.ChoiceField(required=False, allow_blank=True, choices=CompanySize.choices)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PartnerUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="membership.user.pk", help_text="The user's id.")
    email = serializers.EmailField(source="membership.user.email")
    full_name = serializers.CharField(source="membership.user.full_name")
    role = serializers.CharField(source="membership.role")
    is_active = serializers.BooleanField(source="membership.is_active")
    last_login_at = serializers.DateTimeField(source="membership.last_login_at", allow_null=True)
    invited_at = serializers.DateTimeField(source="membership.created_at")


class PartnerUserInviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    role = serializers.ChoiceField(choices=sorted(PARTNER_ROLES), default=Role.PARTNER_REP)


class PartnerUserRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=sorted(PARTNER_ROLES))


# --- Views ---------------------------------------------------------------------------------------
class PartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Partner companies: vendor staff see all; partner users only their own company (others are 404).

    Partner admins of the company and managers PATCH the profile; managers run the lifecycle actions.
    """

    queryset = Partner.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    ordering_fields = ["name", "country", "status", "joined_at", "onboarded_at", "onboarding_progress"]
    ordering = ["name", "id"]
    conflict_actions = {"partial_update", "activate", "suspend", "reactivate", "offboard"}
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return partner_directory(partners_visible_to(self.request))

    def _fresh(self, partner: Partner) -> dict:
        return PartnerSerializer(self.get_queryset().get(pk=partner.pk), context=self.get_serializer_context()).data

    @extend_schema(request=PartnerProfileSerializer, responses=PartnerSerializer)
    def partial_update(self, request, pk=None):
        partner = self.get_object()
        if not can_edit_profile(request, partner):
            raise PermissionDenied()
        body = PartnerProfileSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.partner_update_profile(partner=partner, actor=request.user, **body.validated_data)
        return Response(self._fresh(partner))

    def _lifecycle(self, request, name: str):
        partner = self.get_object()
        if not request_can(request, "partners.manage"):
            raise PermissionDenied()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        services.partner_lifecycle_action(partner=partner, actor=request.user, action=name, reason=reason)
        return Response(self._fresh(partner))

    @extend_schema(request=None, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """onboarding → active."""
        return self._lifecycle(request, "activate")

    @extend_schema(request=ReasonSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """onboarding/active → suspended; `reason` is required."""
        return self._lifecycle(request, "suspend")

    @extend_schema(request=None, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """suspended → active."""
        return self._lifecycle(request, "reactivate")

    @extend_schema(request=ReasonSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def offboard(self, request, pk=None):
        """Any status but offboarded → offboarded (final); `reason` is required."""
        return self._lifecycle(request, "offboard")


class PartnerUserViewSet(viewsets.GenericViewSet):
    """A partner's people: its partner admins and vendor staff read; its admins and managers invite
    and (de)activate. Reps get 403; another partner's id is a 404."""

    queryset = Partner.objects.none()
    serializer_class = PartnerUserSerializer
    conflict_actions = {"create", "deactivate", "reactivate", "role"}
    filter_backends: list = []

    def partner(self) -> Partner:
        partner = get_object_or_404(partners_visible_to(self.request), pk=self.kwargs["partner_pk"])
        allowed = can_view_people if self.action == "list" else can_manage_people
        if not allowed(self.request, partner):
            raise PermissionDenied()
        return partner

    def get_queryset(self):
        return partner_people(self.partner())

    def person(self, partner: Partner):
        person = partner_user_get(partner, user_id=self.kwargs["user_id"])
        if person is None:
            raise NotFound()
        return person

    def list(self, request, partner_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PartnerUserSerializer(page, many=True).data)

    @extend_schema(request=PartnerUserInviteSerializer, responses={201: PartnerUserSerializer})
    def create(self, request, partner_pk=None):
        partner = self.partner()
        body = PartnerUserInviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.partner_user_invite(partner=partner, actor=request.user, **body.validated_data)
        return Response(PartnerUserSerializer(link).data, status=status.HTTP_201_CREATED)

    def _run(self, request, service, **kwargs):
        partner = self.partner()
        person = self.person(partner)
        service(partner_user=person, actor=request.user, **kwargs)
        return Response(PartnerUserSerializer(partner_user_get(partner, user_id=person.membership.user_id)).data)

    @extend_schema(request=None, responses=PartnerUserSerializer)
    def deactivate(self, request, partner_pk=None, user_id=None):
        """Refused (409) for the partner's last active partner admin."""
        return self._run(request, services.partner_user_deactivate)

    @extend_schema(request=None, responses=PartnerUserSerializer)
    def reactivate(self, request, partner_pk=None, user_id=None):
        return self._run(request, services.partner_user_reactivate)

    @extend_schema(request=PartnerUserRoleSerializer, responses=PartnerUserSerializer)
    def role(self, request, partner_pk=None, user_id=None):
        body = PartnerUserRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._run(request, services.partner_user_change_role, role=body.validated_data["role"])


urlpatterns = [
    path(
        "partners/<int:partner_pk>/users/",
        PartnerUserViewSet.as_view({"get": "list", "post": "create"}),
        name="partner-users",
    ),
    *[
        path(
            f"partners/<int:partner_pk>/users/<int:user_id>/{name}",
            PartnerUserViewSet.as_view({"post": name}),
            name=f"partner-user-{name}",
        )
        for name in ("deactivate", "reactivate", "role")
    ],
]


# --- GET /api/v1/me: the caller's partner company -------------------------------------------------
class MePartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    program = ProgramRefSerializer()
    tier = TierSummarySerializer(allow_null=True)
