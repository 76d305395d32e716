"""/api/v1/mdf/funds/, /allocations/ and /activity-types/.

Vendor staff read every fund and allocation; a partner user reads the funds its company has allocations in
(with its own figures only) and its company's allocations. Managers (`mdf.manage`) create funds and give or
change allocations: 409 when the fund's budget cannot take it."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.permissions import partners_visible_to
from prm.errors import InvalidInput

from ..filters import AllocationFilterSet, FundFilterSet
from ..models import ActivityType, Allocation, Fund, ProofKind
from ..selectors import allocation_balances, allocations_visible_to, fund_totals, funds_visible_to
from ..services import allocation_set, fund_budget_move, fund_create
from .common import (
    MONEY,
    MONEY_INPUT,
    MdfBalanceSerializer,
    MdfRefSerializer,
    money,
    own_partner_only,
    permissions_for,
)


# --- funds -----------------------------------------------------------------------------------------------------
class FundTotalsSerializer(MdfBalanceSerializer):
    available_to_allocate = serializers.DecimalField(
        **MONEY,
        allow_null=True,
        help_text="Budget − what the allocations hold (allocated − expired). Vendor staff only (null for partners).",
    )


class FundSerializer(serializers.ModelSerializer):
    budget = serializers.SerializerMethodField(help_text="Vendor staff only (null for partner users).")
    expires_on = serializers.DateField(read_only=True, help_text="The day unused allocations expire.")
    coop_accrual_pct = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True, allow_null=True)
    totals = serializers.SerializerMethodField(
        help_text="Summed over the fund's allocations (a partner user: over its company's allocations only)."
    )

    class Meta:
        model = Fund
        fields = [
            "id",
            "name",
            "scheme",
            "starts_on",
            "ends_on",
            "currency",
            "budget",
            "expires_on",
            "expiry_days_after_end",
            "reminder_days",
            "claim_window_days",
            "review_sla_business_days",
            "allocate_by_tier",
            "coop_accrual_pct",
            "totals",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(**MONEY, allow_null=True))
    def get_budget(self, fund):
        return None if self.context["partner"] is not None else money(fund.budget)

    @extend_schema_field(FundTotalsSerializer)
    def get_totals(self, fund):
        totals = self.context["totals"][fund.pk]
        data = MdfBalanceSerializer(totals.balance).data
        return {**data, "available_to_allocate": money(totals.available_to_allocate)}


class FundCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    scheme = serializers.ChoiceField(choices=Fund.Scheme.choices, default=Fund.Scheme.QUARTER)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    budget = serializers.DecimalField(**MONEY_INPUT, min_value=0)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217.")
    expiry_days_after_end = serializers.IntegerField(
        min_value=0, required=False, help_text="Unused allocations expire this many days after the period (60)."
    )
    claim_window_days = serializers.IntegerField(
        min_value=1, required=False, help_text="Claims are due this many days after the activity ends (60)."
    )
    review_sla_business_days = serializers.IntegerField(min_value=0, required=False)
    allocate_by_tier = serializers.BooleanField(required=False, help_text="Give tier benefits at the period start.")
    coop_accrual_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )


class FundBudgetMoveSerializer(serializers.Serializer):
    target = serializers.IntegerField(help_text="Id of the fund that receives the budget (same currency, not expired).")
    amount = serializers.DecimalField(**MONEY_INPUT, help_text="At most what this fund has left to allocate.")
    reason = serializers.CharField(max_length=500)


class FundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """MDF funds (one per period and currency) with their totals. Managers POST a new fund."""

    queryset = Fund.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = FundSerializer
    filterset_class = FundFilterSet
    ordering_fields = ["starts_on", "name", "budget"]
    conflict_actions = {"move_budget"}

    def get_permissions(self):
        return permissions_for(self.action, manager_actions={"create", "move_budget"})

    def get_queryset(self):
        return funds_visible_to(self.request)

    def _render(self, funds, *, many=False):
        rows = list(funds) if many else [funds]
        partner = own_partner_only(self.request)
        context = {"partner": partner, "totals": fund_totals(rows, partner=partner)}
        return FundSerializer(rows if many else funds, many=many, context=context).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render(self.get_object()))

    @extend_schema(request=FundCreateSerializer, responses={201: FundSerializer})
    def create(self, request, *args, **kwargs):
        serializer = FundCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fund = fund_create(actor=request.user, **serializer.validated_data)
        return Response(self._render(self.get_queryset().get(pk=fund.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=FundBudgetMoveSerializer, responses={200: FundSerializer})
    @action(detail=True, methods=["post"], url_path="move-budget")
    def move_budget(self, request, pk=None):
        """Move budget this fund has not allocated (what expired unused came back to it) into another fund of the
        same currency, where it can be allocated again. 409 when this fund has less left to allocate."""
        source = self.get_object()
        serializer = FundBudgetMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = self.get_queryset().filter(pk=data["target"]).first()
        if target is None:
            raise InvalidInput(_("Unknown fund."), fields={"target": [_("Unknown fund.")]})
        source, _target = fund_budget_move(
            actor=request.user, source=source, target=target, amount=data["amount"], reason=data["reason"]
        )
        return Response(self._render(self.get_queryset().get(pk=source.pk)))


# --- allocations -----------------------------------------------------------------------------------------------
class AllocationSerializer(serializers.ModelSerializer):
    fund = MdfRefSerializer()
    partner = MdfRefSerializer()
    currency = serializers.CharField(source="fund.currency")
    amount = serializers.DecimalField(**MONEY)
    expires_on = serializers.DateField(source="fund.expires_on", help_text="The day unused money expires.")
    balance = serializers.SerializerMethodField()

    class Meta:
        model = Allocation
        fields = [
            "id",
            "fund",
            "partner",
            "source",
            "currency",
            "amount",
            "expires_on",
            "expired_at",
            "note",
            "balance",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MdfBalanceSerializer)
    def get_balance(self, allocation):
        return MdfBalanceSerializer(self.context["balances"][allocation.pk]).data


class AllocationCreateSerializer(serializers.Serializer):
    fund = serializers.IntegerField(help_text="Fund id.")
    partner = serializers.IntegerField(help_text="Partner id.")
    amount = serializers.DecimalField(**MONEY_INPUT, min_value=0)
    note = serializers.CharField(max_length=240, required=False, allow_blank=True, default="")


class AllocationUpdateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY_INPUT, min_value=0)
    note = serializers.CharField(max_length=240, required=False, allow_blank=True, default="")


def _choose(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


class AllocationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Allocations with their balance. Managers POST `fund`, `partner`, `amount` to give a partner money by hand
    (201; 200 when it replaces that partner's earlier hand-made amount in the fund) and PATCH `amount` of any
    allocation. 409 when the fund's budget cannot take the amount."""

    queryset = Allocation.objects.none()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet
    ordering_fields = ["amount", "created_at", "updated_at"]
    conflict_actions = {"create", "partial_update"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return permissions_for(self.action, manager_actions={"create", "partial_update"})

    def get_queryset(self):
        return allocations_visible_to(self.request)

    def _render(self, allocations, *, many=False):
        rows = list(allocations) if many else [allocations]
        context = {"balances": allocation_balances(rows)}
        return AllocationSerializer(rows if many else allocations, many=many, context=context).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render(self.get_object()))

    @extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer, 200: AllocationSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AllocationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fund = funds_visible_to(request).filter(pk=data["fund"]).first()
        if fund is None:
            raise _choose("fund", _("Choose one of the funds."))
        partner = partners_visible_to(request).filter(pk=data["partner"]).first()
        if partner is None:
            raise _choose("partner", _("Choose one of your partners."))
        existed = self.get_queryset().filter(fund=fund, partner=partner, source=Allocation.Source.MANUAL).exists()
        allocation = allocation_set(
            actor=request.user, fund=fund, partner=partner, amount=data["amount"], note=data["note"]
        )
        body = self._render(self.get_queryset().get(pk=allocation.pk))
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=AllocationUpdateSerializer, responses={200: AllocationSerializer})
    def partial_update(self, request, *args, **kwargs):
        allocation = self.get_object()
        serializer = AllocationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocation = allocation_set(
            actor=request.user,
            fund=allocation.fund,
            partner=allocation.partner,
            source=allocation.source,
            **serializer.validated_data,
        )
        return Response(self._render(self.get_queryset().get(pk=allocation.pk)))


# --- activity types --------------------------------------------------------------------------------------------
class ActivityTypeSerializer(serializers.ModelSerializer):
    required_proof = serializers.ListField(
        child=serializers.ChoiceField(choices=ProofKind.choices),
        help_text="The proof kinds a claim for this activity must carry before it can be submitted.",
    )

    class Meta:
        model = ActivityType
        fields = ["id", "key", "name", "position", "required_proof"]
        read_only_fields = fields


class ActivityTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The vendor's active activity types, for building a request form."""

    queryset = ActivityType.objects.none()
    serializer_class = ActivityTypeSerializer
    filter_backends = []  # in the vendor's order, always

    def get_permissions(self):
        return permissions_for(self.action)

    def get_queryset(self):
        return ActivityType.objects.filter(is_active=True)
