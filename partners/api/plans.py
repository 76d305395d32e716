"""API: /business-plans/ — managers write plans, goals and QBR notes; vendor staff and the
partner's own admins read them; partner reps get 403."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from prm.accounts.permissions import request_can

from .. import services
from ..models import BusinessPlan, BusinessPlanGoal, Partner
from ..permissions import partners_visible_to
from ..selectors import business_plan_list, business_plans_progress
from .company import UserRefSerializer


class PartnerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="goal.pk")
    metric = serializers.CharField(source="goal.metric")
    metric_label = serializers.CharField(source="label")
    unit = serializers.CharField(source="metric.unit", allow_null=True, default=None)
    target = serializers.DecimalField(source="goal.target", max_digits=16, decimal_places=2)
    current = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    percent = serializers.IntegerField(allow_null=True, help_text="Whole percent of the target reached.")
    note = serializers.CharField(source="goal.note")


class QbrNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    notes = serializers.CharField()
    author = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class BusinessPlanSerializer(serializers.ModelSerializer):
    partner = PartnerRefSerializer(read_only=True)
    goals = serializers.SerializerMethodField()
    qbr_notes = QbrNoteSerializer(many=True, read_only=True)

    class Meta:
        model = BusinessPlan
        fields = ["id", "partner", "title", "period_start", "period_end", "summary", "created_at", "goals", "qbr_notes"]
        read_only_fields = fields

    @extend_schema_field(GoalSerializer(many=True))
    def get_goals(self, plan) -> list[dict]:
        progress = self.context.get("progress")
        rows = progress[plan.pk] if progress is not None else business_plans_progress([plan])[plan.pk]
        return GoalSerializer(rows, many=True).data


class BusinessPlanWriteSerializer(serializers.Serializer):
    partner = serializers.IntegerField(help_text="The partner's id.")
    title = serializers.CharField(max_length=160)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_partner(self, value):
        partner = Partner.objects.filter(pk=value).first()
        if partner is None:
            raise serializers.ValidationError(_("Unknown partner."))
        return partner


class BusinessPlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=160)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True)


class GoalWriteSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=64, help_text="A key of the metric registry.")
    target = serializers.DecimalField(max_digits=16, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=240, default="")


class QbrNoteWriteSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    notes = serializers.CharField()


class BusinessPlanFilterSet(django_filters.FilterSet):
    partner = django_filters.NumberFilter(field_name="partner_id")

    class Meta:
        model = BusinessPlan
        fields = ["partner"]


class BusinessPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = BusinessPlan.objects.none()
    serializer_class = BusinessPlanSerializer
    filterset_class = BusinessPlanFilterSet
    ordering_fields = ["period_start", "period_end", "created_at"]
    ordering = ["-period_start", "id"]
    conflict_actions = {"create", "partial_update"}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not (request_can(request, "partners.view_all") or request_can(request, "partner.manage_company")):
            raise PermissionDenied()
        if request.method not in ("GET", "HEAD", "OPTIONS") and not request_can(request, "partners.manage"):
            raise PermissionDenied()

    def get_queryset(self):
        return business_plan_list(partners_visible_to(self.request))

    def _render(self, plan_pk: int, status_code=status.HTTP_200_OK):
        plan = self.get_queryset().get(pk=plan_pk)
        return Response(self.get_serializer(plan).data, status=status_code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "progress": business_plans_progress(page)}
        return self.get_paginated_response(BusinessPlanSerializer(page, many=True, context=context).data)

    @extend_schema(request=BusinessPlanWriteSerializer, responses={201: BusinessPlanSerializer})
    def create(self, request, *args, **kwargs):
        body = BusinessPlanWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.business_plan_create(actor=request.user, **body.validated_data)
        return self._render(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=BusinessPlanUpdateSerializer, responses=BusinessPlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        body = BusinessPlanUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.business_plan_update(plan=plan, actor=request.user, **body.validated_data)
        return self._render(plan.pk)

    @extend_schema(request=GoalWriteSerializer, responses=BusinessPlanSerializer)
    @action(detail=True, methods=["post"])
    def goals(self, request, pk=None):
        """Set the target on a metric (replaces the plan's goal on that metric)."""
        plan = self.get_object()
        body = GoalWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.business_plan_goal_set(plan=plan, actor=request.user, **body.validated_data)
        return self._render(plan.pk)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"goals/(?P<metric>[a-z0-9_.-]+)")
    def remove_goal(self, request, pk=None, metric=None):
        plan = self.get_object()
        goal = BusinessPlanGoal.objects.filter(plan=plan, metric=metric).first()
        if goal is None:
            raise NotFound()
        services.business_plan_goal_remove(goal=goal, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=QbrNoteWriteSerializer, responses={201: BusinessPlanSerializer})
    @action(detail=True, methods=["post"], url_path="qbr-notes")
    def qbr_notes(self, request, pk=None):
        plan = self.get_object()
        body = QbrNoteWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.qbr_note_add(plan=plan, actor=request.user, **body.validated_data)
        return self._render(plan.pk, status.HTTP_201_CREATED)
