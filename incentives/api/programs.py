"""/api/v1/incentives/programs/ (+ rules, run, opt-in, activate, end) and /api/v1/incentives/runs/.

Managers (incentives.manage) write through the services; vendor staff read everything; partner users read
the programs their company takes part in or may opt in to, with the rules in effect in words, and a
partner admin opts in. Runs are vendor-only. Money as decimal strings with the currency.
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from partners.permissions import request_partner
from partners.profile import PartnerType, Region
from partners.services.tiers import tenant_today
from prm.accounts.permissions import request_can
from prm.api.permissions import HasCapability
from prm.errors import InvalidInput

from ..models import AwardTo, Enrollment, IncentiveProgram, PeriodScheme, ProgramKind, RuleVersion, Run, Unit
from ..selectors.program_views import program_views, programs_visible_to, request_sees_programs
from ..services import (
    enrollment_accept,
    incentive_program_create,
    incentive_program_set_status,
    incentive_program_update,
    rule_version_create,
    run_request,
)
from ..services.programs import PROGRAM_FIELDS

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
PERCENT = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}
MANAGE = "incentives.manage"


# --- output -----------------------------------------------------------------------------------------
class RuleVersionSerializer(serializers.ModelSerializer):
    params = serializers.JSONField(help_text="The rules, normalised (schemas per kind: docs/incentives/programs.md).")

    class Meta:
        model = RuleVersion
        fields = ["id", "version", "effective_from", "params", "note", "created_at"]
        read_only_fields = fields


class HowItPaysSerializer(serializers.Serializer):
    sentences = serializers.ListField(child=serializers.CharField())
    headers = serializers.ListField(child=serializers.CharField(), help_text="Of the table (may be empty).")
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class IncentiveProgramSerializer(serializers.ModelSerializer):
    budget = serializers.SerializerMethodField(help_text="Vendor staff only (null for partner users).")
    channel_manager_share_pct = serializers.SerializerMethodField(help_text="Vendor staff only.")
    current_rules = serializers.SerializerMethodField(help_text="The rule version pricing the current period.")
    how_it_pays = serializers.SerializerMethodField(help_text="The current rules in words.")
    enrolled = serializers.SerializerMethodField(
        help_text="Partner users: whether the company opted in (null for vendor staff)."
    )

    class Meta:
        model = IncentiveProgram
        fields = [
            "id",
            *PROGRAM_FIELDS,
            "status",
            "current_rules",
            "how_it_pays",
            "enrolled",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _view(self, program):
        return self.context["views"][program.pk]

    def _vendor(self) -> bool:
        return self.context["vendor_view"]

    @extend_schema_field(serializers.DecimalField(**MONEY, allow_null=True))
    def get_budget(self, program):
        return None if not self._vendor() or program.budget is None else f"{program.budget:.2f}"

    @extend_schema_field(serializers.DecimalField(**PERCENT, allow_null=True))
    def get_channel_manager_share_pct(self, program):
        share = program.channel_manager_share_pct
        return None if not self._vendor() or share is None else f"{share:.2f}"

    @extend_schema_field(RuleVersionSerializer(allow_null=True))
    def get_current_rules(self, program):
        version = self._view(program).rule_version
        return RuleVersionSerializer(version).data if version is not None else None

    @extend_schema_field(HowItPaysSerializer)
    def get_how_it_pays(self, program):
        how = self._view(program).how
        return {"sentences": how.sentences, "headers": how.headers, "rows": how.rows}

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_enrolled(self, program):
        return None if self._vendor() else self._view(program).enrolled


class IncentiveProgramRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class RunSerializer(serializers.ModelSerializer):
    program = serializers.SerializerMethodField()
    rule_version = serializers.IntegerField(source="rule_version.version", read_only=True)
    progress_pct = serializers.IntegerField(read_only=True)
    amount_posted = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True, read_only=True)
    currency = serializers.CharField(source="program.currency", read_only=True)
    unit = serializers.CharField(source="program.unit", read_only=True)
    duration_seconds = serializers.SerializerMethodField(help_text="From start to finish; null until finished.")

    class Meta:
        model = Run
        fields = [
            "id",
            "program",
            "rule_version",
            "period",
            "kind",
            "status",
            "as_of",
            "cutoff",
            "progress_pct",
            "chunks_total",
            "chunks_done",
            "recipients",
            "lines_posted",
            "amount_posted",
            "currency",
            "unit",
            "attempts",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "duration_seconds",
        ]
        read_only_fields = fields

    @extend_schema_field(IncentiveProgramRefSerializer)
    def get_program(self, run):
        return {"id": run.program_id, "name": run.program.name, "kind": run.program.kind}

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_duration_seconds(self, run):
        duration = run.duration
        return round(duration.total_seconds(), 3) if duration is not None else None


class EnrollmentSerializer(serializers.Serializer):
    program = serializers.IntegerField(source="program_id")
    partner = serializers.IntegerField(source="partner_id")
    accepted_by = serializers.EmailField(source="accepted_by.email", allow_null=True, default=None)
    accepted_at = serializers.DateTimeField()
    terms_accepted = serializers.CharField()


# --- input ------------------------------------------------------------------------------------------
class IncentiveProgramWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ProgramKind.choices)
    summary = serializers.CharField(max_length=240, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    award_to = serializers.ChoiceField(choices=AwardTo.choices, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217.")
    period_scheme = serializers.ChoiceField(choices=PeriodScheme.choices, required=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0)
    eligible_program_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Partner program ids; empty: any."
    )
    eligible_tier_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Tier ids; empty: any."
    )
    eligible_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnerType.choices), required=False, help_text="Empty: any."
    )
    eligible_regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), required=False, help_text="Empty: any."
    )
    requires_opt_in = serializers.BooleanField(required=False)
    terms = serializers.CharField(required=False, allow_blank=True)
    channel_manager_share_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, min_value=0, max_value=100
    )
    params = serializers.JSONField(help_text="The first rule version's rules (create only).")

    def validate_eligible_types(self, values):
        return sorted(set(values))

    def validate_eligible_regions(self, values):
        return sorted(set(values))


class IncentiveProgramPatchSerializer(IncentiveProgramWriteSerializer):
    params = None  # rules change by new versions: POST …/rules/

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class RuleVersionInputSerializer(serializers.Serializer):
    params = serializers.JSONField(help_text="The rules of the program's kind.")
    effective_from = serializers.DateField(help_text="The first day of a period (the open one or a later one).")
    note = serializers.CharField(max_length=240, required=False, allow_blank=True, help_text="What changed.")


PERIOD_PARAMETER = OpenApiParameter(
    name="period",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    required=True,
    description="The period to compute, of the program's scheme: 2026-07, 2026-Q3 or 2026.",
)


# --- views ------------------------------------------------------------------------------------------
class SeesPrograms(BasePermission):
    def has_permission(self, request, view):
        return request_sees_programs(request)


class IncentiveProgramFilter(django_filters.FilterSet):
    # Declared, not derived from the model: deriving would query it outside a tenant context.
    kind = django_filters.ChoiceFilter(choices=ProgramKind.choices)
    status = django_filters.ChoiceFilter(choices=IncentiveProgram.Status.choices)

    class Meta:
        model = IncentiveProgram
        fields = []


class IncentiveProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Incentive programs with the rules in effect (as data and in words).

    Vendor staff read all, managers create (a draft with its first rule version), change, activate, end,
    add rule versions and run a period on demand. Partner users read the programs their company takes
    part in or may opt in to; a partner admin opts in (accepting the terms).
    """

    queryset = IncentiveProgram.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = IncentiveProgramSerializer
    filterset_class = IncentiveProgramFilter
    ordering_fields = ["name", "starts_on", "created_at"]
    conflict_actions = {"create", "partial_update", "activate", "end", "rules", "run", "opt_in"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    manager_actions = {"create", "partial_update", "activate", "end", "run"}

    def get_permissions(self):
        if self.action in self.manager_actions or (self.action == "rules" and self.request.method == "POST"):
            return [HasCapability(MANAGE)()]
        if self.action == "opt_in":
            return [HasCapability("partner.manage_company")(), HasCapability("incentives.earn")()]
        return [*super().get_permissions(), SeesPrograms()]

    def get_queryset(self):
        return programs_visible_to(self.request)

    def _vendor(self) -> bool:
        return request_can(self.request, "incentives.view_all")

    def _render(self, programs, *, many=False):
        rows = list(programs) if many else [programs]
        partner = None if self._vendor() else request_partner(self.request)
        views = {view.program.pk: view for view in program_views(rows, today=tenant_today(), partner=partner)}
        context = {**self.get_serializer_context(), "views": views, "vendor_view": self._vendor()}
        return IncentiveProgramSerializer(rows if many else programs, many=many, context=context).data

    def _fresh(self, program, status_code=status.HTTP_200_OK):
        return Response(self._render(IncentiveProgram.objects.get(pk=program.pk)), status=status_code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render(self.get_object()))

    @extend_schema(request=IncentiveProgramWriteSerializer, responses={201: IncentiveProgramSerializer})
    def create(self, request, *args, **kwargs):
        serializer = IncentiveProgramWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        program = incentive_program_create(actor=request.user, params=data.pop("params"), **data)
        return self._fresh(program, status.HTTP_201_CREATED)

    @extend_schema(request=IncentiveProgramPatchSerializer, responses={200: IncentiveProgramSerializer})
    def partial_update(self, request, *args, **kwargs):
        program = self.get_object()
        serializer = IncentiveProgramPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        program = incentive_program_update(program=program, actor=request.user, **serializer.validated_data)
        return self._fresh(program)

    def _status(self, status_value):
        program = incentive_program_set_status(program=self.get_object(), actor=self.request.user, status=status_value)
        return self._fresh(program)

    @extend_schema(request=None, responses={200: IncentiveProgramSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Draft (or ended) → active: scheduled runs start; partners see it."""
        return self._status(IncentiveProgram.Status.ACTIVE)

    @extend_schema(request=None, responses={200: IncentiveProgramSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Active → ended: no more provisional runs; open periods still get their final run."""
        return self._status(IncentiveProgram.Status.ENDED)

    @extend_schema(
        methods=["GET"], request=None, responses={200: RuleVersionSerializer(many=True)}, operation_id="rules_list"
    )
    @extend_schema(
        methods=["POST"],
        request=RuleVersionInputSerializer,
        responses={201: RuleVersionSerializer},
        operation_id="rules_create",
        description="A new rule version from the first day of a period (400 if not one; 409 if that period "
        "is closed or a version already starts that day).",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def rules(self, request, pk=None):
        """Every rule version of the program, newest first; POST adds one (managers)."""
        program = self.get_object()
        if request.method == "POST":
            serializer = RuleVersionInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            version = rule_version_create(program=program, actor=request.user, **serializer.validated_data)
            return Response(RuleVersionSerializer(version).data, status=status.HTTP_201_CREATED)
        versions = RuleVersion.objects.filter(program=program).order_by("-version")
        return Response(RuleVersionSerializer(versions, many=True).data)

    @extend_schema(parameters=[PERIOD_PARAMETER], request=None, responses={202: RunSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):
        """Queue an on-demand run of a period (202 with the run; follow it at /incentives/runs/{id}/).

        400 for a malformed period or one outside the program's dates; 409 for a draft program or a closed
        period. Running again posts only differences, so a repeated request changes nothing twice."""
        program = self.get_object()
        period = (request.query_params.get("period") or "").strip()
        if not period:
            message = _("Give the period to run, e.g. ?period=2026-Q3.")
            raise InvalidInput(message, fields={"period": [message]})
        run = run_request(program=program, period_key=period, kind=Run.Kind.MANUAL, actor=request.user)
        run = Run.objects.select_related("program", "rule_version").get(pk=run.pk)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={201: EnrollmentSerializer, 200: EnrollmentSerializer})
    @action(detail=True, methods=["post"], url_path="opt-in")
    def opt_in(self, request, pk=None):
        """A partner admin opts the company in, accepting the program's current terms (again: 200, no change).
        409 if the program needs no opt-in or is not active."""
        partner = request_partner(request)
        if partner is None:
            raise PermissionDenied()
        program = self.get_object()
        existed = Enrollment.objects.filter(program=program, partner=partner).exists()
        enrollment = enrollment_accept(program=program, partner=partner, actor=request.user)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(EnrollmentSerializer(enrollment).data, status=code)


class RunFilter(django_filters.FilterSet):
    program = django_filters.NumberFilter(field_name="program_id", help_text="Program id.")
    period = django_filters.CharFilter(max_length=10, help_text="2026-Q3, 2026-07 or 2026.")
    status = django_filters.ChoiceFilter(choices=Run.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Run.Kind.choices)

    class Meta:
        model = Run
        fields = []


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Runs of every program (vendor staff): status, progress, counts, duration and error."""

    queryset = Run.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = RunSerializer
    filterset_class = RunFilter
    ordering_fields = ["created_at", "finished_at", "period"]

    def get_permissions(self):
        return [HasCapability("incentives.view_all")()]

    def get_queryset(self):
        return Run.objects.select_related("program", "rule_version").order_by("-created_at", "-pk")
