"""API of points and rewards: /points/ (a balance and its history), /rewards/ (the catalog; managers write) and
/redemptions/ (partners ask, with `Idempotency-Key`; managers fulfil or refuse). Scoping in incentives.points_access."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from partners.permissions import request_partner
from partners.services.tiers import tenant_today
from prm.accounts.permissions import request_can
from prm.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from prm.api.permissions import HasCapability, IsTenantMember
from prm.api.schema import ERROR_DESCRIPTIONS, ErrorEnvelopeSerializer

from ..models import LedgerEntry, Redemption, Reward
from ..points_access import EARN, MANAGE, points_recipient_for, redemptions_visible_to, rewards_visible_to
from ..selectors.points import points_balance, points_history
from ..services.redemptions import (
    COMPANY,
    OWN,
    TEXT_MAX,
    redemption_fulfil,
    redemption_refuse,
    redemption_request,
    reward_create,
    reward_update,
)

WRITE_ACTIONS = ("create", "update", "partial_update")


# --- filters ---------------------------------------------------------------------------------------------------
class RewardFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Reward.Kind.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Reward
        fields = ["kind", "is_active"]


class RedemptionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Redemption.Status.choices)
    reward = django_filters.NumberFilter(field_name="reward_id", help_text="Reward id.")
    partner = django_filters.NumberFilter(field_name="partner_id", help_text="Partner id.")

    class Meta:
        model = Redemption
        fields = ["status", "reward", "partner"]


# --- points ------------------------------------------------------------------------------------------------------
class PointsBalanceSerializer(serializers.Serializer):
    available = serializers.IntegerField(help_text="earned − redeemed − expired.")
    earned = serializers.IntegerField(help_text="Earnings, true-ups, adjustments and clawbacks, net.")
    redeemed = serializers.IntegerField(help_text="Redemptions less refunds of refused ones.")
    expired = serializers.IntegerField()
    expiring_soon = serializers.IntegerField(help_text="Points that expire by `expiring_by` unless spent first.")
    expiring_by = serializers.DateField()


class PointsRecipientSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["user", "partner"])
    id = serializers.IntegerField()
    name = serializers.CharField()


class PointsLineSerializer(serializers.ModelSerializer):
    amount = serializers.IntegerField(help_text="Points; negative for redemptions and expiries.")
    program = serializers.IntegerField(source="program_id", allow_null=True)
    program_name = serializers.CharField(source="program.name", allow_null=True, default=None)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "occurred_on",
            "entry_type",
            "amount",
            "program",
            "program_name",
            "period",
            "source",
            "explanation",
            "reason",
        ]
        read_only_fields = fields


@extend_schema_serializer(many=False)  # one object: the balance beside a page of lines
class PointsPageSerializer(serializers.Serializer):
    recipient = PointsRecipientSerializer()
    balance = PointsBalanceSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PointsLineSerializer(many=True)


class PointsViewSet(viewsets.GenericViewSet):
    """A points balance and its lines, newest first. Without parameters: the signed-in user's own points.
    `?partner=<id>`: a company's points (managers; a partner admin its own company). `?user=<id>`: a person's
    points (managers; a partner admin its own people). Anyone else's → 404."""

    queryset = LedgerEntry.objects.none()
    serializer_class = PointsLineSerializer
    filter_backends = []  # newest first, always

    @extend_schema(
        parameters=[
            OpenApiParameter("user", OpenApiTypes.INT, description="A person's points (managers, partner admins)."),
            OpenApiParameter("partner", OpenApiTypes.INT, description="A company's points (managers, its admin)."),
        ],
        responses={
            200: PointsPageSerializer,
            404: OpenApiResponse(ErrorEnvelopeSerializer, description=ERROR_DESCRIPTIONS[404]),
        },
    )
    def list(self, request, *args, **kwargs):
        who = points_recipient_for(
            request, user_id=request.query_params.get("user"), partner_id=request.query_params.get("partner")
        )
        balance = points_balance(**who, today=tenant_today())
        page = self.paginate_queryset(points_history(**who))
        response = self.get_paginated_response(PointsLineSerializer(page, many=True).data)
        if "user" in who:
            recipient = {"type": "user", "id": who["user"].pk, "name": who["user"].get_full_name() or who["user"].email}
        else:
            recipient = {"type": "partner", "id": who["partner"].pk, "name": who["partner"].name}
        response.data = {
            "recipient": recipient,
            "balance": PointsBalanceSerializer(balance).data,
            **response.data,
        }
        return response


# --- rewards -----------------------------------------------------------------------------------------------------
class RewardSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Reward.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    points_cost = serializers.IntegerField(min_value=1)
    stock = serializers.IntegerField(min_value=0, required=False, allow_null=True, help_text="null: unlimited.")
    eligible_tier_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Tier ids; empty: every tier."
    )
    is_active = serializers.BooleanField(required=False)
    position = serializers.IntegerField(min_value=0, required=False)
    created_at = serializers.DateTimeField(read_only=True)

    def create(self, validated_data):
        return reward_create(actor=self.context["request"].user, **validated_data)

    def update(self, reward, validated_data):
        return reward_update(reward=reward, actor=self.context["request"].user, **validated_data)


class RewardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The rewards catalog. Partner users see the active rewards offered at their tier; vendor staff all of
    them. Managers create and change rewards (no deletes: deactivate one with `is_active: false`)."""

    queryset = Reward.objects.none()
    serializer_class = RewardSerializer
    filterset_class = RewardFilterSet
    ordering_fields = ["position", "points_cost", "name"]

    def get_permissions(self):
        if self.action in WRITE_ACTIONS:
            return [HasCapability(MANAGE)()]
        return [IsTenantMember()]

    def get_queryset(self):
        return rewards_visible_to(self.request)


# --- redemptions -------------------------------------------------------------------------------------------------
class RedemptionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RedemptionUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()


class RedemptionSerializer(serializers.ModelSerializer):
    reward = RedemptionRefSerializer()
    user = RedemptionUserSerializer()
    partner = RedemptionRefSerializer()

    class Meta:
        model = Redemption
        fields = [
            "id",
            "reward",
            "user",
            "partner",
            "points",
            "status",
            "note",
            "requested_at",
            "decided_at",
            "decision_note",
            "points_age_days",
        ]
        read_only_fields = fields


class RedemptionCreateSerializer(serializers.Serializer):
    reward = serializers.IntegerField(help_text="Id of a reward from your catalog (GET /rewards/).")
    account = serializers.ChoiceField(
        choices=[OWN, COMPANY], default=OWN, help_text="Whose points pay: your own, or (partner admins) the company's."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)

    def validate_reward(self, pk):
        reward = rewards_visible_to(self.context["request"]).filter(pk=pk).first()
        if reward is None:
            raise serializers.ValidationError(_("Choose a reward from your catalog."))
        return reward


class RedemptionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class RedemptionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="Shown to the requester.")


class RedemptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Redemptions: a rep sees its own, a partner admin the company's, vendor staff all. Partner users POST a
    request (points debited at once: 409 `insufficient_points`, 409 out of stock); managers `fulfil` or
    `refuse` a requested one (refusal refunds the points; 409 with the current state otherwise)."""

    queryset = Redemption.objects.none()
    serializer_class = RedemptionSerializer
    filterset_class = RedemptionFilterSet
    ordering_fields = ["requested_at", "points", "status"]
    conflict_actions = {"create", "fulfil", "refuse"}

    def get_permissions(self):
        if self.action in ("fulfil", "refuse"):
            return [HasCapability(MANAGE)()]
        return [IsTenantMember()]

    def get_queryset(self):
        return redemptions_visible_to(self.request)

    def _fresh(self, redemption):
        return RedemptionSerializer(self.get_queryset().get(pk=redemption.pk)).data

    @extend_schema(
        request=RedemptionCreateSerializer,
        responses={201: RedemptionSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        partner = request_partner(request) if request_can(request, EARN) else None
        if partner is None:
            raise PermissionDenied()
        serializer = RedemptionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        redemption = redemption_request(actor=request.user, partner=partner, **serializer.validated_data)
        return Response(self._fresh(redemption), status=status.HTTP_201_CREATED)

    @extend_schema(request=RedemptionNoteSerializer, responses={200: RedemptionSerializer})
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        redemption = self.get_object()
        serializer = RedemptionNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            self._fresh(redemption_fulfil(actor=request.user, redemption=redemption, **serializer.validated_data))
        )

    @extend_schema(request=RedemptionReasonSerializer, responses={200: RedemptionSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        redemption = self.get_object()
        serializer = RedemptionReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            self._fresh(redemption_refuse(actor=request.user, redemption=redemption, **serializer.validated_data))
        )
