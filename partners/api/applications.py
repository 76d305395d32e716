"""/api/v1/partner-applications/: public submission; managers list, approve, reject, request info."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from prm.api.permissions import HasCapability

from ..filters.applications import ApplicationFilter
from ..models import PartnerApplication, Program
from ..profile import PartnerType, Region, Vertical
from ..selectors.applications import application_list
from ..services.applications import (
    MESSAGE_MAX_LENGTH,
    application_approve,
    application_reject,
    application_request_info,
    application_submit,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class ApplicationSubmitSerializer(serializers.Serializer):
    program = serializers.SlugField(
        required=False, help_text="Slug of a public program; the first public program when left out."
    )
    company_name = serializers.CharField(max_length=160)
    website = serializers.CharField(max_length=200, help_text="The company's website; its domain flags duplicates.")
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField()
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NL.")
    types = serializers.ListField(child=serializers.ChoiceField(choices=PartnerType.choices), allow_empty=False)
    regions = serializers.ListField(child=serializers.ChoiceField(choices=Region.choices), allow_empty=False)
    verticals = serializers.ListField(child=serializers.ChoiceField(choices=Vertical.choices), required=False)
    expected_annual_revenue = serializers.DecimalField(min_value=0, **MONEY)
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="Answers to the program's application questions, by question key.",
    )

    def validate_program(self, slug: str) -> Program:
        # Whether it is open for applications is the service's rule.
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise serializers.ValidationError(_("There is no program with this slug."))
        return program


class ApplicationReceiptSerializer(serializers.ModelSerializer):
    """What the applicant gets back: no id and no duplicate flags (those are for the vendor)."""

    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PartnerApplication
        fields = ["program", "company_name", "contact_email", "status", "created_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    expected_annual_revenue = serializers.DecimalField(read_only=True, **MONEY)
    currency = serializers.SerializerMethodField(help_text="ISO 4217 code of the vendor's currency.")
    duplicate = serializers.BooleanField(
        source="is_flagged_duplicate", read_only=True, help_text="Same domain as a partner or an earlier application."
    )
    decided_by = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = PartnerApplication
        fields = [
            "id",
            "program",
            "company_name",
            "website",
            "domain",
            "contact_name",
            "contact_email",
            "country",
            "types",
            "regions",
            "verticals",
            "expected_annual_revenue",
            "currency",
            "answers",
            "status",
            "duplicate",
            "duplicate_of_partner",
            "duplicate_of_application",
            "info_request",
            "decision_reason",
            "decided_by",
            "decided_at",
            "partner",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_currency(self, obj) -> str:
        return self.context["request"].tenant.currency


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, help_text="Emailed to the applicant.")


class InfoRequestSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, help_text="Emailed to the applicant.")


DECISIONS = {"approve", "reject", "request_info"}


@extend_schema_view(
    create=extend_schema(
        request=ApplicationSubmitSerializer,
        responses={201: ApplicationReceiptSerializer},
        auth=[],
        description="Public: apply to a program. Limited per client IP (429 when exceeded).",
    ),
)
class PartnerApplicationViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Anyone may apply (POST); vendor staff list and read; channel managers and tenant admins decide."""

    queryset = PartnerApplication.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "company_name", "status"]
    conflict_actions = DECISIONS

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        if self.action in DECISIONS:
            return [HasCapability("partners.manage")()]
        return [HasCapability("partners.view_all")()]

    def get_queryset(self):
        return application_list()

    def create(self, request, *args, **kwargs):
        serializer = ApplicationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = application_submit(**serializer.validated_data, client_ip=request.META.get("REMOTE_ADDR"))
        return Response(ApplicationReceiptSerializer(application).data, status=status.HTTP_201_CREATED)

    def _decided(self, application):
        return Response(self.get_serializer(application).data)

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Create the partner in onboarding and invite the contact as its partner admin (409 on a taken domain)."""
        return self._decided(application_approve(application=self.get_object(), actor=request.user))

    @extend_schema(request=RejectSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self.get_object()
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._decided(
            application_reject(application=application, actor=request.user, **serializer.validated_data)
        )

    @extend_schema(request=InfoRequestSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        application = self.get_object()
        serializer = InfoRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._decided(
            application_request_info(application=application, actor=request.user, **serializer.validated_data)
        )
