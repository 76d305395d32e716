"""/api/v1/programs/ (all members read; tenant admins write) and /api/v1/agreements/{id}/accept."""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from prm.accounts.permissions import request_membership
from prm.accounts.roles import PARTNER_ROLES
from prm.api.permissions import HasCapability, IsTenantMember

from ..models import Agreement, AgreementAcceptance, ChecklistStepTemplate, Program
from ..permissions import request_partner
from ..selectors.agreements import agreement_accepted_ids, agreement_pending_for, programs_with_checklist_and_agreement
from ..services.agreements import agreement_accept
from ..services.programs import PROGRAM_FIELDS, program_create, program_update
from ..step_kinds import step_kind_get


def kind_label(kind: str) -> str:
    try:
        return str(step_kind_get(kind).label)
    except KeyError:
        return kind


class ChecklistStepTemplateSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistStepTemplate
        fields = ["id", "kind", "kind_label", "subject", "title", "description", "is_required", "position"]
        read_only_fields = fields

    def get_kind_label(self, step) -> str:
        return kind_label(step.kind)


class AgreementSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "version", "title", "published_at"]
        read_only_fields = fields


class ProgramSerializer(serializers.ModelSerializer):
    checklist = ChecklistStepTemplateSerializer(many=True, read_only=True)
    current_agreement = serializers.SerializerMethodField()
    agreement_accepted = serializers.SerializerMethodField(
        help_text="Partner users, own program only: your company has accepted the current agreement version."
    )
    agreement_required = serializers.SerializerMethodField(
        help_text="Partner admins, own program only: you must accept the current agreement version (the portal "
        "asks before anything else); POST /api/v1/agreements/{id}/accept does it."
    )

    class Meta:
        model = Program
        fields = [
            "id",
            *PROGRAM_FIELDS,
            "checklist",
            "current_agreement",
            "agreement_accepted",
            "agreement_required",
        ]
        read_only_fields = fields

    def _current(self, program):
        published = getattr(program, "published_agreements", None)
        if published is None:
            published = list(program.agreements.filter(published_at__isnull=False).order_by("-version"))
        return published[0] if published else None

    def _own_program(self, program) -> bool:
        partner = self.context.get("partner")
        return partner is not None and partner.program_id == program.pk

    @extend_schema_field(AgreementSummarySerializer(allow_null=True))
    def get_current_agreement(self, program):
        current = self._current(program)
        return AgreementSummarySerializer(current).data if current is not None else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_agreement_accepted(self, program):
        if not self._own_program(program):
            return None
        current = self._current(program)
        return current is not None and current.pk in self.context["accepted_ids"]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_agreement_required(self, program):
        if not self._own_program(program):
            return None
        return self.context["pending"] is not None


class ProgramWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        # Uniqueness and the other rules are the services' (one place for admin, portal and API).
        validators = []
        extra_kwargs = {"slug": {"validators": []}}


class ProgramFilter(django_filters.FilterSet):
    # Declared, not derived from the model: deriving would query it outside a tenant context.
    kind = django_filters.ChoiceFilter(choices=Program.Kind.choices)
    is_public = django_filters.BooleanFilter()

    class Meta:
        model = Program
        fields = []


class ProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partner programs with their onboarding checklist and current agreement version.

    Every member reads; tenant admins create and update. Partner users also see whether their company
    accepted its program's current agreement and whether they must accept it.
    """

    queryset = Program.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter
    ordering_fields = ["name", "position", "created_at"]
    conflict_actions = {"create", "update", "partial_update"}

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update"):
            return [HasCapability("programs.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        return programs_with_checklist_and_agreement()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        membership = request_membership(self.request)
        partner = request_partner(self.request) if membership and membership.role in PARTNER_ROLES else None
        context["partner"] = partner
        if partner is not None:
            context["accepted_ids"] = agreement_accepted_ids(partner=partner)
            context["pending"] = agreement_pending_for(membership=membership, partner=partner)
        return context

    def _read(self, program, status_code=status.HTTP_200_OK):
        program = self.get_queryset().get(pk=program.pk)
        return Response(self.get_serializer(program).data, status=status_code)

    @extend_schema(request=ProgramWriteSerializer, responses={201: ProgramSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ProgramWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        program = program_create(actor=request.user, **serializer.validated_data)
        return self._read(program, status.HTTP_201_CREATED)

    @extend_schema(request=ProgramWriteSerializer, responses={200: ProgramSerializer})
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        program = self.get_object()
        serializer = ProgramWriteSerializer(program, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        program = program_update(program=program, actor=request.user, **serializer.validated_data)
        return self._read(program)

    @extend_schema(request=ProgramWriteSerializer, responses={200: ProgramSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class AcceptanceSerializer(serializers.ModelSerializer):
    agreement = AgreementSummarySerializer(read_only=True)
    user = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = AgreementAcceptance
        fields = ["id", "agreement", "partner", "user", "accepted_at"]
        read_only_fields = fields


class AgreementAcceptView(APIView):
    """A partner admin accepts the current version of the program's agreement (idempotent).

    409 if the id is not the current version of the caller's program (superseded or another program).
    """

    permission_classes = [HasCapability("partner.manage_company")]
    conflict_actions = {"post"}

    @extend_schema(request=None, responses={200: AcceptanceSerializer}, operation_id="agreements_accept")
    def post(self, request, pk: int):
        shown = get_object_or_404(Agreement.objects.filter(published_at__isnull=False), pk=pk)
        partner = request_partner(request)
        if partner is None:
            raise NotFound
        acceptance = agreement_accept(
            partner=partner, user=request.user, ip_address=request.META.get("REMOTE_ADDR"), agreement=shown
        )
        acceptance = AgreementAcceptance.objects.select_related("agreement", "user").get(pk=acceptance.pk)
        return Response(AcceptanceSerializer(acceptance).data)


urlpatterns = [
    path("agreements/<int:pk>/accept", AgreementAcceptView.as_view(), name="agreement-accept"),
]
