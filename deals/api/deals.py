"""/api/v1/deals/: registrations scoped by role (rep: own; partner admin: company's; vendor staff: all),
create and PATCH drafts, and the transitions as explicit actions (409 with the current state)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from partners.permissions import request_partner
from prm.accounts.permissions import request_can

from .. import services
from ..filters.deals import DealFilter
from ..models import Deal, Product
from ..permissions import deals_visible_to, request_may, request_sees_deals
from ..selectors import deal_detail, deals_pricing
from ..services.lifecycle import TEXT_MAX_LENGTH

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
PERCENT = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}


# --- output ----------------------------------------------------------------------------------------
class DealPartnerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DealProductRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()


class DealLineDiscountsSerializer(serializers.Serializer):
    tier = serializers.DecimalField(**MONEY, help_text="The tier's product discount.")
    registration = serializers.DecimalField(**MONEY, help_text="Program + tier registration discount.")
    special = serializers.DecimalField(**MONEY, help_text="Manager-approved special pricing, on top.")


class DealLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = DealProductRefSerializer()
    quantity = serializers.IntegerField()
    unit_list_price = serializers.DecimalField(**MONEY)
    list_amount = serializers.DecimalField(**MONEY, help_text="Unit list price × quantity.")
    discounts = DealLineDiscountsSerializer()
    net = serializers.DecimalField(**MONEY, help_text="Rounded half-up to the cent at the end of the line.")


class DealPricingSerializer(serializers.Serializer):
    currency = serializers.CharField()
    tier_discount_pct = serializers.DecimalField(**PERCENT)
    registration_discount_pct = serializers.DecimalField(**PERCENT)
    special_discount_pct = serializers.DecimalField(**PERCENT)
    list_amount = serializers.DecimalField(**MONEY)
    tier_discount = serializers.DecimalField(**MONEY)
    registration_discount = serializers.DecimalField(**MONEY)
    special_discount = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)


class DealOtherRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = DealPartnerRefSerializer()
    customer_name = serializers.CharField()
    customer_domain = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    protected_until = serializers.DateField(allow_null=True)


class DealHouseAccountRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company_name = serializers.CharField()
    domain = serializers.CharField()
    owner_name = serializers.CharField()
    created_at = serializers.DateTimeField()


class DealConflictSerializer(serializers.Serializer):
    matched_on = serializers.CharField(help_text="domain | name")
    score = serializers.DecimalField(max_digits=4, decimal_places=3, coerce_to_string=True)
    other_registration = DealOtherRegistrationSerializer(source="other_deal", allow_null=True)
    house_account = DealHouseAccountRefSerializer(allow_null=True)
    detected_at = serializers.DateTimeField()


class ConflictsField(serializers.Field):
    """Vendor staff get each candidate with its evidence; partners only whether one exists."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, deal):
        conflicts = list(deal.conflicts.all())
        if self.context["vendor_view"]:
            return DealConflictSerializer(conflicts, many=True).data
        return bool(conflicts)


class ConflictsFieldSchema(OpenApiSerializerFieldExtension):
    """The schema of `conflicts`: a boolean (partners) or the list of candidates (vendor staff)."""

    target_class = ConflictsField

    def map_serializer_field(self, auto_schema, direction):
        candidate = auto_schema.resolve_serializer(DealConflictSerializer, direction)
        return {
            "oneOf": [
                {"type": "boolean", "description": "Partners: whether a potential conflict exists."},
                {"type": "array", "items": candidate.ref, "description": "Vendor staff: the candidates."},
            ],
            "readOnly": True,
        }


class DealSerializer(serializers.ModelSerializer):
    partner = DealPartnerRefSerializer(read_only=True)
    estimated_value = serializers.DecimalField(read_only=True, **MONEY)
    special_discount_pct = serializers.DecimalField(read_only=True, allow_null=True, **PERCENT)
    closed_amount = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)
    review_overdue = serializers.BooleanField(read_only=True)
    conflicts = ConflictsField(
        help_text="Vendor staff: the candidates with evidence; partners: true when a potential conflict exists."
    )
    lines = serializers.SerializerMethodField()
    pricing = serializers.SerializerMethodField()

    class Meta:
        model = Deal
        fields = [
            "id",
            "partner",
            "customer_name",
            "customer_domain",
            "country",
            "contact_name",
            "contact_email",
            "contact_phone",
            "estimated_value",
            "currency",
            "expected_close_date",
            "notes",
            "status",
            "source",
            "submitted_at",
            "review_due_at",
            "review_overdue",
            "decided_at",
            "decision_reason",
            "protected_until",
            "extensions_used",
            "special_discount_pct",
            "closed_at",
            "closed_amount",
            "lost_reason",
            "conflicts",
            "lines",
            "pricing",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _pricing(self, deal):
        return self.context["pricing"][deal.pk]

    @extend_schema_field(DealLineSerializer(many=True))
    def get_lines(self, deal):
        return DealLineSerializer(
            [
                {
                    "id": line.pk,
                    "product": line.product,
                    "quantity": line.quantity,
                    "unit_list_price": line.unit_list_price,
                    "list_amount": price.gross,
                    "discounts": {
                        "tier": price.tier_discount,
                        "registration": price.registration_discount,
                        "special": price.special_discount,
                    },
                    "net": price.net,
                }
                for line, price in self._pricing(deal).lines
            ],
            many=True,
        ).data

    @extend_schema_field(DealPricingSerializer)
    def get_pricing(self, deal):
        pricing = self._pricing(deal)
        totals, discounts = pricing.totals, pricing.discounts
        return DealPricingSerializer(
            {
                "currency": deal.currency,
                "tier_discount_pct": discounts.tier_pct,
                "registration_discount_pct": discounts.registration_pct,
                "special_discount_pct": discounts.special_pct,
                "list_amount": totals.gross,
                "tier_discount": totals.tier_discount,
                "registration_discount": totals.registration_discount,
                "special_discount": totals.special_discount,
                "net": totals.net,
            }
        ).data


# --- input -----------------------------------------------------------------------------------------
class DealLineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField(help_text="Id of an active product.")
    quantity = serializers.IntegerField(min_value=1)

    def validate_product(self, pk):
        product = Product.objects.filter(pk=pk, is_active=True).first()
        if product is None:
            raise serializers.ValidationError(_("Choose an active product."))
        return product


class DealRegistrationInputSerializer(serializers.Serializer):
    customer_name = serializers.CharField(max_length=200)
    customer_domain = serializers.CharField(max_length=253, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. NL.")
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    expected_close_date = serializers.DateField()
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217.")
    notes = serializers.CharField(required=False, allow_blank=True)
    lines = DealLineInputSerializer(many=True, required=False, help_text="Optional until close-won.")


class DealCreateSerializer(DealRegistrationInputSerializer):
    submit = serializers.BooleanField(default=False, help_text="Submit for review at once (else a draft).")


class DealPatchSerializer(DealRegistrationInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class DealNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)


class DealReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="Shown to the partner.")


class DealSpecialPricingSerializer(serializers.Serializer):
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        allow_null=True,
        help_text="Extra discount on top of the registration discount; null removes it.",
    )


class DealCloseWonSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Won amount, deal currency.")
    lines = DealLineInputSerializer(
        many=True, required=False, help_text="Replace the deal's lines first; at least one line is needed."
    )


# --- view ------------------------------------------------------------------------------------------
class SeesDeals(BasePermission):
    def has_permission(self, request, view):
        return request_sees_deals(request)


TRANSITIONS = frozenset({"submit", "approve", "reject", "special_pricing", "close_won", "close_lost"})


class DealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Partner users register (for their own company) and edit drafts; channel managers and tenant
    admins decide; either side may close. Money as decimal strings with the currency."""

    queryset = Deal.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = DealSerializer
    filterset_class = DealFilter
    ordering_fields = ["created_at", "submitted_at", "review_due_at", "expected_close_date", "estimated_value"]
    conflict_actions = {"create", "partial_update", *TRANSITIONS}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return [*super().get_permissions(), SeesDeals()]

    def get_queryset(self):
        return deal_detail(deals_visible_to(self.request)).order_by("-created_at", "-pk")

    def _check(self, action_name: str) -> None:
        if not request_may(self.request, action_name):
            raise PermissionDenied()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "vendor_view": request_can(self.request, "deals.view_all")}

    def _render(self, deals, *, many=False):
        rows = list(deals) if many else [deals]
        context = {**self.get_serializer_context(), "pricing": deals_pricing(rows)}
        return DealSerializer(rows if many else deals, many=many, context=context).data

    def _fresh(self, deal):
        return self._render(self.get_queryset().get(pk=deal.pk))

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render(self.get_object()))

    @extend_schema(request=DealCreateSerializer, responses={201: DealSerializer})
    def create(self, request, *args, **kwargs):
        partner = request_partner(request) if request_can(request, "deals.register") else None
        if partner is None:
            raise PermissionDenied()
        serializer = DealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        submit, lines = data.pop("submit"), data.pop("lines", [])
        deal = services.deal_register(partner=partner, actor=request.user, lines=lines, **data)
        if submit:
            deal = services.deal_submit(deal=deal, actor=request.user)
        return Response(self._fresh(deal), status=201)

    @extend_schema(request=DealPatchSerializer, responses={200: DealSerializer})
    def partial_update(self, request, *args, **kwargs):
        deal = self.get_object()
        self._check("update_draft")
        serializer = DealPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = data.pop("lines", None)
        deal = services.deal_update_draft(deal=deal, actor=request.user, lines=lines, **data)
        return Response(self._fresh(deal))

    def _transition(self, request, action_name, input_serializer, service):
        """Run one transition; the input's fields are the service's keyword arguments."""
        deal = self.get_object()
        self._check(action_name)
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        return Response(self._fresh(service(deal=deal, actor=request.user, **data)))

    @extend_schema(request=None, responses={200: DealSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft for review: the conflict check runs; the program's conflict rule applies."""
        return self._transition(request, "submit", None, services.deal_submit)

    @extend_schema(request=DealNoteSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Re-checks conflicts; 409 when the program's conflict rule forbids the approval."""
        return self._transition(request, "approve", DealNoteSerializer, services.deal_approve)

    @extend_schema(request=DealReasonSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, "reject", DealReasonSerializer, services.deal_reject)

    @extend_schema(request=DealSpecialPricingSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"], url_path="special-pricing")
    def special_pricing(self, request, pk=None):
        return self._transition(
            request, "special_pricing", DealSpecialPricingSerializer, services.deal_special_pricing_set
        )

    @extend_schema(request=DealCloseWonSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"], url_path="close-won")
    def close_won(self, request, pk=None):
        """Books one sale record per line (external id deal-<deal>-<line>), adding up to the amount."""
        return self._transition(request, "close_won", DealCloseWonSerializer, services.deal_close_won)

    @extend_schema(request=DealReasonSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"], url_path="close-lost")
    def close_lost(self, request, pk=None):
        return self._transition(request, "close_lost", DealReasonSerializer, services.deal_close_lost)
