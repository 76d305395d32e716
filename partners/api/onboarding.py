"""/api/v1/partners/{id}/onboarding and manual step ticks (explicit paths beside the partners resource)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from prm.api.permissions import HasCapability

from ..models import OnboardingStep, Partner
from ..permissions import partners_visible_to
from ..selectors.agreements import agreement_acceptances_of
from ..selectors.checklist import onboarding_status_of, step_is_manual
from ..services.checklist import onboarding_step_complete_manual, onboarding_step_undo_manual
from .programs import kind_label


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class OnboardingStepSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    is_manual = serializers.SerializerMethodField()
    done = serializers.BooleanField(source="is_done")
    completed_by = PersonSerializer(allow_null=True)

    class Meta:
        model = OnboardingStep
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject",
            "title",
            "description",
            "is_required",
            "is_manual",
            "position",
            "done",
            "completed_at",
            "completed_by",
            "completion_note",
        ]
        read_only_fields = fields

    def get_kind_label(self, step) -> str:
        return kind_label(step.kind)

    def get_is_manual(self, step) -> bool:
        return step_is_manual(step)


class OnboardingAcceptanceSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(source="agreement_id")
    version = serializers.IntegerField(source="agreement.version")
    title = serializers.CharField(source="agreement.title")
    user = PersonSerializer()
    accepted_at = serializers.DateTimeField()


class OnboardingSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    status = serializers.CharField(source="partner.status")
    joined_at = serializers.DateTimeField(source="partner.joined_at", allow_null=True)
    onboarded_at = serializers.DateTimeField(source="partner.onboarded_at", allow_null=True)
    progress = serializers.IntegerField(source="pace.progress", help_text="Whole percent of required steps done.")
    required_steps = serializers.IntegerField(source="pace.required_total")
    required_done = serializers.IntegerField(source="pace.required_done")
    days = serializers.IntegerField(source="pace.days", help_text="Days since joining (or days it took).")
    target_days = serializers.IntegerField(source="pace.target_days")
    days_left = serializers.IntegerField(source="pace.days_left", help_text="Negative: days over the target.")
    over_target = serializers.BooleanField(source="pace.over_target")
    stalled = serializers.BooleanField(source="pace.stalled", help_text="No step completed for 7 days.")
    next_step = serializers.SerializerMethodField()
    steps = OnboardingStepSerializer(many=True)
    acceptances = OnboardingAcceptanceSerializer(many=True)

    def get_next_step(self, status) -> int | None:
        return status.next_step.pk if status.next_step is not None else None


class PartnerOnboardingView(APIView):
    """A partner's checklist, progress and days against the program's target, and agreement acceptances.

    Partner users see only their own partner; vendor staff any partner.
    """

    @extend_schema(responses={200: OnboardingSerializer}, operation_id="partners_onboarding_retrieve")
    def get(self, request, pk: int):
        partner = get_object_or_404(partners_visible_to(request).select_related("program"), pk=pk)
        status = onboarding_status_of(partner)
        status.acceptances = list(agreement_acceptances_of(partner))
        return Response(OnboardingSerializer(status).data)


class _StepActionView(APIView):
    permission_classes = [HasCapability("partners.manage")]
    conflict_actions = {"post"}
    service = None

    def post(self, request, pk: int, step_id: int):
        partner = get_object_or_404(Partner.objects.all(), pk=pk)
        step = get_object_or_404(OnboardingStep.objects.filter(partner=partner), pk=step_id)
        step = type(self).service(step=step, actor=request.user)
        step = OnboardingStep.objects.select_related("completed_by").get(pk=step.pk)
        return Response(OnboardingStepSerializer(step).data)


class OnboardingStepCompleteView(_StepActionView):
    """A channel manager ticks off a manual step (400 for steps that complete from events, 409 if done)."""

    service = staticmethod(onboarding_step_complete_manual)

    @extend_schema(
        request=None, responses={200: OnboardingStepSerializer}, operation_id="partners_onboarding_step_complete"
    )
    def post(self, request, pk: int, step_id: int):
        return super().post(request, pk, step_id)


class OnboardingStepUndoView(_StepActionView):
    """Take back a manual tick (409 if the step is not done)."""

    service = staticmethod(onboarding_step_undo_manual)

    @extend_schema(
        request=None, responses={200: OnboardingStepSerializer}, operation_id="partners_onboarding_step_undo"
    )
    def post(self, request, pk: int, step_id: int):
        return super().post(request, pk, step_id)


urlpatterns = [
    path("partners/<int:pk>/onboarding", PartnerOnboardingView.as_view(), name="partner-onboarding"),
    path(
        "partners/<int:pk>/onboarding/steps/<int:step_id>/complete",
        OnboardingStepCompleteView.as_view(),
        name="partner-onboarding-step-complete",
    ),
    path(
        "partners/<int:pk>/onboarding/steps/<int:step_id>/undo",
        OnboardingStepUndoView.as_view(),
        name="partner-onboarding-step-undo",
    ),
]
