"""/api/v1/mdf/requests/: pre-approval requests. Partner users create (for their own company, from one of its
allocations), change while a draft or returned, and submit; managers approve (in full or in part), reject or
return them. 409 with `current_state` when the request is not in a state the action allows."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filters import MdfRequestFilterSet
from ..models import ActivityType, MdfRequest
from ..selectors import allocations_visible_to, requests_visible_to
from ..services import (
    mdf_request_approve,
    mdf_request_create,
    mdf_request_reject,
    mdf_request_return,
    mdf_request_submit,
    mdf_request_update,
)
from .common import (
    MONEY,
    MONEY_INPUT,
    MdfActivityTypeRefSerializer,
    MdfApproveSerializer,
    MdfReasonSerializer,
    MdfRefSerializer,
    acting_partner,
    permissions_for,
)


class MdfRequestAllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fund = MdfRefSerializer()
    source = serializers.CharField()


class MdfRequestSerializer(serializers.ModelSerializer):
    partner = MdfRefSerializer()
    allocation = MdfRequestAllocationSerializer()
    activity_type = MdfActivityTypeRefSerializer()
    currency = serializers.CharField(source="allocation.fund.currency")
    planned_cost = serializers.DecimalField(**MONEY)
    requested_amount = serializers.DecimalField(**MONEY)
    approved_amount = serializers.DecimalField(**MONEY, allow_null=True)

    class Meta:
        model = MdfRequest
        fields = [
            "id",
            "partner",
            "allocation",
            "activity_type",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "currency",
            "planned_cost",
            "requested_amount",
            "approved_amount",
            "expected_leads",
            "campaign_code",
            "status",
            "submitted_at",
            "review_due_at",
            "decided_at",
            "decision_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MdfRequestInputSerializer(serializers.Serializer):
    """The request's contents; the partner is the signed-in user's company, never taken from the input."""

    allocation = serializers.IntegerField(help_text="Id of one of your company's allocations.")
    activity_type = serializers.IntegerField(help_text="Id of an active activity type (GET /mdf/activity-types/).")
    title = serializers.CharField(max_length=160)
    description = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    planned_cost = serializers.DecimalField(**MONEY_INPUT, min_value=0)
    requested_amount = serializers.DecimalField(
        **MONEY_INPUT, min_value=0, help_text="At most the tier's reimbursement share of the planned cost."
    )
    expected_leads = serializers.IntegerField(min_value=0, required=False)
    campaign_code = serializers.CharField(max_length=40, help_text="Unique; leads and deals are tied to it.")

    def validate_allocation(self, pk):
        allocation = allocations_visible_to(self.context["request"]).filter(pk=pk).first()
        if allocation is None:
            raise serializers.ValidationError(_("Choose one of your company's allocations."))
        return allocation

    def validate_activity_type(self, pk):
        activity_type = ActivityType.objects.filter(pk=pk, is_active=True).first()
        if activity_type is None:
            raise serializers.ValidationError(_("Choose an activity type from the list."))
        return activity_type


class MdfRequestPatchSerializer(MdfRequestInputSerializer):
    """Only the fields sent change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


PARTNER_ACTIONS = {"create", "partial_update", "submit"}
MANAGER_ACTIONS = {"approve", "reject", "return_"}


class MdfRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Pre-approval requests: a partner user sees its company's, vendor staff all. Money as decimal strings with
    the fund's currency."""

    queryset = MdfRequest.objects.none()
    serializer_class = MdfRequestSerializer
    filterset_class = MdfRequestFilterSet
    ordering_fields = ["created_at", "submitted_at", "review_due_at", "starts_on", "requested_amount"]
    conflict_actions = {"partial_update", "submit", *MANAGER_ACTIONS}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return permissions_for(self.action, manager_actions=MANAGER_ACTIONS, partner_actions=PARTNER_ACTIONS)

    def get_queryset(self):
        return requests_visible_to(self.request)

    def _fresh(self, request_row, code=status.HTTP_200_OK):
        return Response(MdfRequestSerializer(self.get_queryset().get(pk=request_row.pk)).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=MdfRequestInputSerializer, responses={201: MdfRequestSerializer})
    def create(self, request, *args, **kwargs):
        """A draft request of your company (submit it with `{id}/submit`)."""
        partner = acting_partner(request)
        created = mdf_request_create(actor=request.user, partner=partner, **self._input(MdfRequestInputSerializer))
        return self._fresh(created, status.HTTP_201_CREATED)

    @extend_schema(request=MdfRequestPatchSerializer, responses={200: MdfRequestSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change a draft or returned request (409 otherwise)."""
        found = self.get_object()
        values = self._input(MdfRequestPatchSerializer)
        return self._fresh(mdf_request_update(actor=request.user, request=found, **values))

    @extend_schema(request=None, responses={200: MdfRequestSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft or returned request for review; the amount must fit the tier's share and the balance."""
        found = self.get_object()
        return self._fresh(mdf_request_submit(actor=request.user, request=found))

    @extend_schema(request=MdfApproveSerializer, responses={200: MdfRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve in full, or a lower `amount` with a `reason` (partially approved)."""
        found = self.get_object()
        return self._fresh(mdf_request_approve(actor=request.user, request=found, **self._input(MdfApproveSerializer)))

    @extend_schema(request=MdfReasonSerializer, responses={200: MdfRequestSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        found = self.get_object()
        return self._fresh(mdf_request_reject(actor=request.user, request=found, **self._input(MdfReasonSerializer)))

    @extend_schema(request=MdfReasonSerializer, responses={200: MdfRequestSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Send back to the partner for changes; it can be submitted again."""
        found = self.get_object()
        return self._fresh(mdf_request_return(actor=request.user, request=found, **self._input(MdfReasonSerializer)))
