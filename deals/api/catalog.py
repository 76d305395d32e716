"""API of the catalog: /products/ (every member reads; tenant admins write) and /house-accounts/ (vendor staff
read; managers write; partners never). No deletes: a product is deactivated, a house account stays as evidence."""

from rest_framework import mixins, serializers, viewsets

from prm.api.permissions import HasCapability, IsTenantMember

from ..filters.sales import HouseAccountFilterSet, ProductFilterSet
from ..models import HouseAccount, Product
from ..selectors import house_account_list, products_visible_to
from ..services import house_account_create, house_account_update, product_create, product_update

WRITE_ACTIONS = ("create", "update", "partial_update")


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sku = serializers.CharField(max_length=64, help_text="Unique per vendor, case-insensitively.")
    name = serializers.CharField(max_length=160)
    family = serializers.CharField(max_length=80, required=False, allow_blank=True)
    list_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD.")
    billing = serializers.ChoiceField(choices=Product.Billing.choices, required=False)
    billing_period = serializers.ChoiceField(
        choices=Product.Period.choices,
        required=False,
        allow_blank=True,
        help_text="Required for recurring products; empty for one-time ones.",
    )
    is_active = serializers.BooleanField(required=False)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def create(self, validated_data):
        return product_create(actor=self.context["request"].user, **validated_data)

    def update(self, product, validated_data):
        return product_update(product=product, actor=self.context["request"].user, **validated_data)


class ProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The vendor's price list. Vendor staff see every product, partner users the active ones.
    Tenant admins create and change products (409 when the SKU is taken)."""

    queryset = Product.objects.none()  # the model, for the schema; rows come from get_queryset()
    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    ordering_fields = ["sku", "name", "family", "list_price"]
    conflict_actions = set(WRITE_ACTIONS)

    def get_permissions(self):
        if self.action in WRITE_ACTIONS:
            return [HasCapability("catalog.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        return products_visible_to(self.request)


class HouseAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    company_name = serializers.CharField(max_length=200)
    domain = serializers.CharField(
        max_length=253, required=False, allow_blank=True, help_text="Stored normalised (www.Example.com → example.com)."
    )
    owner_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    owner_email = serializers.EmailField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)

    def create(self, validated_data):
        return house_account_create(actor=self.context["request"].user, **validated_data)

    def update(self, account, validated_data):
        return house_account_update(account=account, actor=self.context["request"].user, **validated_data)


class HouseAccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customers the vendor's direct sales team owns; partner registrations against them are conflicts.
    Vendor staff read; tenant admins and channel managers write (409 when the domain is taken)."""

    queryset = HouseAccount.objects.none()
    serializer_class = HouseAccountSerializer
    filterset_class = HouseAccountFilterSet
    ordering_fields = ["company_name", "domain", "created_at"]
    conflict_actions = set(WRITE_ACTIONS)

    def get_permissions(self):
        if self.action in WRITE_ACTIONS:
            return [HasCapability("deals.manage")()]
        return [HasCapability("deals.view_all")()]

    def get_queryset(self):
        return house_account_list()
