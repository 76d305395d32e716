"""API of tiers: /tiers/ (criteria + benefits), /tier-changes/ (approve/reject), a partner's tier progress and pin."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from prm.api.permissions import HasCapability, IsTenantMember
from prm.tenancy.context import current_tenant

from ..metrics import metric_label, validate_metric_key
from ..models import Partner, Program, Tier, TierChange
from ..permissions import partners_visible_to, request_sees_all_partners
from ..selectors import tier_change_list, tier_list, tier_progress_for
from ..services import tier_change_approve, tier_change_reject, tier_create, tier_pin_clear, tier_pin_set, tier_update
from ..services.tiers import tenant_today

PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class TierCriterionSerializer(serializers.Serializer):
    metric = serializers.CharField(
        max_length=64, validators=[validate_metric_key], help_text="Key of a registered metric."
    )
    threshold = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    label = serializers.SerializerMethodField()

    def get_label(self, criterion) -> str:
        return metric_label(criterion.metric)


class TierBenefitsSerializer(serializers.Serializer):
    product_discount_pct = serializers.DecimalField(**PERCENT, required=False)
    deal_registration_discount_pct = serializers.DecimalField(**PERCENT, required=False)
    rebate_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0, required=False)
    mdf_allocation_per_quarter = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    mdf_reimbursement_cap_pct = serializers.DecimalField(**PERCENT, required=False)
    perks = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Listed perks, short texts."
    )
    currency = serializers.SerializerMethodField(help_text="Currency of the MDF allocation (the vendor's).")

    def get_currency(self, tier) -> str:
        return current_tenant().currency


class TierSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects)
    name = serializers.CharField(max_length=60)
    rank = serializers.IntegerField(min_value=0, max_value=32767, help_text="0 is the entry tier; higher is better.")
    description = serializers.CharField(required=False, allow_blank=True)
    benefits = TierBenefitsSerializer(source="*", required=False)
    criteria = TierCriterionSerializer(many=True, required=False)

    def validate_program(self, program):
        if self.instance is not None and program != self.instance.program:
            raise serializers.ValidationError("A tier stays in its program.")
        return program

    def to_representation(self, tier):
        data = super().to_representation(tier)
        data["criteria"] = TierCriterionSerializer(tier.criteria.all(), many=True).data
        return data

    def create(self, validated_data):
        actor = self.context["request"].user
        return tier_create(actor=actor, **validated_data)

    def update(self, tier, validated_data):
        validated_data.pop("program", None)
        return tier_update(tier=tier, actor=self.context["request"].user, **validated_data)


class TierFilter(django_filters.FilterSet):
    # Declared by hand: generated filters would read the models' managers outside a tenant (schema build).
    program = django_filters.NumberFilter(field_name="program_id", help_text="Program id.")


class TierViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Tiers of every program with criteria and benefits. Members read; tenant admins create and change."""

    queryset = Tier.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = TierSerializer
    filterset_class = TierFilter
    ordering_fields = ["rank", "name"]
    conflict_actions = {"create", "update", "partial_update"}

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update"):
            return [HasCapability("programs.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        return tier_list()


class TierChangeSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    from_tier_name = serializers.CharField(source="from_tier.name", read_only=True, default=None)
    to_tier_name = serializers.CharField(source="to_tier.name", read_only=True)
    metric_values = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="Metric values at evaluation, as decimal strings."
    )

    class Meta:
        model = TierChange
        fields = [
            "id",
            "partner",
            "partner_name",
            "from_tier",
            "from_tier_name",
            "to_tier",
            "to_tier_name",
            "kind",
            "status",
            "reason",
            "metric_values",
            "evaluated_on",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class TierChangeFilter(django_filters.FilterSet):
    partner = django_filters.NumberFilter(field_name="partner_id", help_text="Partner id.")
    kind = django_filters.ChoiceFilter(choices=TierChange.Kind.choices)
    status = django_filters.ChoiceFilter(choices=TierChange.Status.choices)


class TierChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Promotions, demotions and pins. Vendor staff see all; partner users their own company's.
    Managers approve or reject pending promotions (409 when not pending)."""

    queryset = TierChange.objects.none()
    serializer_class = TierChangeSerializer
    filterset_class = TierChangeFilter
    ordering_fields = ["created_at"]
    conflict_actions = {"approve", "reject"}

    def get_permissions(self):
        if self.action in ("approve", "reject"):
            return [HasCapability("partners.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        if request_sees_all_partners(self.request):
            return tier_change_list()
        return tier_change_list(partners=partners_visible_to(self.request))

    def _decide(self, service):
        change = service(tier_change=self.get_object(), actor=self.request.user)
        return Response(self.get_serializer(tier_change_list().get(pk=change.pk)).data)

    @extend_schema(request=None, responses=TierChangeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(tier_change_approve)

    @extend_schema(request=None, responses=TierChangeSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(tier_change_reject)


class TierRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField()
    benefits = TierBenefitsSerializer(source="*")


class CriterionProgressSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=16, decimal_places=2)
    missing = serializers.DecimalField(max_digits=20, decimal_places=2)
    met = serializers.BooleanField()


class TierProgressSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    program = serializers.IntegerField()
    current_tier = TierRefSerializer(allow_null=True)
    next_tier = TierRefSerializer(allow_null=True)
    qualifies_for = serializers.IntegerField(help_text="Id of the highest tier whose criteria are met today.")
    current_criteria = CriterionProgressSerializer(many=True, help_text="What it takes to keep the current tier.")
    next_criteria = CriterionProgressSerializer(many=True, help_text="What it takes to reach the next tier.")
    below_tier_since = serializers.DateField(allow_null=True)
    pinned_until = serializers.DateField(allow_null=True)
    pin_reason = serializers.CharField(allow_blank=True)
    pending_change = serializers.IntegerField(allow_null=True, help_text="Id of a promotion awaiting approval.")


def _criteria(items) -> list[dict]:
    return [{**item.__dict__, "label": metric_label(item.metric)} for item in items]


class TierProgressView(APIView):
    """A partner's tier, next tier and each criterion's value, threshold and what is missing.
    Partner users: their own company only; vendor staff: any partner."""

    @extend_schema(responses=TierProgressSerializer)
    def get(self, request, pk: int):
        partner = get_object_or_404(partners_visible_to(request), pk=pk)
        progress, _values, tiers = tier_progress_for(partner, today=tenant_today())
        by_id = {tier.pk: tier for tier in tiers}
        pending = TierChange.objects.filter(partner=partner, status=TierChange.Status.PENDING).first()
        data = {
            "partner": partner.pk,
            "program": partner.program_id,
            "current_tier": by_id.get(progress.current.id) if progress.current else None,
            "next_tier": by_id.get(progress.next.id) if progress.next else None,
            "qualifies_for": progress.qualifies_for.id,
            "current_criteria": _criteria(progress.current_criteria),
            "next_criteria": _criteria(progress.next_criteria),
            "below_tier_since": partner.below_tier_since,
            "pinned_until": partner.tier_pinned_until,
            "pin_reason": partner.tier_pin_reason,
            "pending_change": pending.pk if pending else None,
        }
        return Response(TierProgressSerializer(data).data)


class TierPinSerializer(serializers.Serializer):
    tier = serializers.PrimaryKeyRelatedField(queryset=Tier.objects, help_text="A tier of the partner's program.")
    until = serializers.DateField(help_text="Last day of the pin (inclusive).")
    reason = serializers.CharField(max_length=240)


class TierPinView(APIView):
    """Managers pin a partner's tier until a date (POST; recorded as a manual tier change) or end the pin (DELETE)."""

    permission_classes = [HasCapability("partners.manage")]
    conflict_actions = {"post", "delete"}

    @extend_schema(request=TierPinSerializer, responses={201: TierChangeSerializer})
    def post(self, request, pk: int):
        partner = get_object_or_404(Partner.objects.all(), pk=pk)
        serializer = TierPinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = tier_pin_set(partner=partner, actor=request.user, **serializer.validated_data)
        body = TierChangeSerializer(tier_change_list().get(pk=change.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        partner = get_object_or_404(Partner.objects.all(), pk=pk)
        tier_pin_clear(partner=partner, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
