"""API of booked revenue: /sales/. Vendor staff read every sale, a partner admin the company's, a partner rep the
ones booked to them. Managers and integrations POST one sale or a list, honouring `Idempotency-Key`."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from prm.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from prm.api.permissions import HasCapability, IsTenantMember
from prm.errors import InvalidInput

from ..filters.sales import SaleRecordFilterSet
from ..models import SaleRecord
from ..selectors import sale_record_list, sale_records_visible_to
from ..services import ImportRejected, sale_records_import

MONEY = {"max_digits": 14, "decimal_places": 2}


class SaleRecordSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner.name")
    rep = serializers.IntegerField(source="rep_id", allow_null=True, help_text="User id of the partner's rep.")
    rep_email = serializers.EmailField(source="rep.email", allow_null=True, default=None)
    product = serializers.CharField(source="product.sku", allow_null=True, default=None, help_text="SKU.")
    amount = serializers.DecimalField(**MONEY)
    recurring_amount = serializers.DecimalField(**MONEY, allow_null=True)

    class Meta:
        model = SaleRecord
        fields = [
            "id",
            "external_id",
            "partner",
            "partner_name",
            "rep",
            "rep_email",
            "customer_name",
            "customer_domain",
            "product",
            "quantity",
            "booked_on",
            "amount",
            "currency",
            "kind",
            "term_months",
            "recurring_amount",
            "source",
            "created_at",
        ]
        read_only_fields = fields


class SaleRecordInputSerializer(serializers.Serializer):
    """One sale as sent (documentation: the service validates the whole batch and reports per row)."""

    external_id = serializers.CharField(max_length=120, help_text="Your invoice or order number; unique per vendor.")
    partner = serializers.CharField(help_text="Partner id, or the partner's domain (example.com).")
    rep = serializers.CharField(required=False, help_text="User id or email of a user of that partner.")
    customer_name = serializers.CharField(max_length=200)
    customer_domain = serializers.CharField(max_length=253, required=False)
    product = serializers.CharField(required=False, help_text="SKU of a catalog product.")
    quantity = serializers.IntegerField(min_value=1, required=False, help_text="Units sold; 1 when absent.")
    booked_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY, help_text="Decimal string; negative for a credit note; never zero.")
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code.")
    kind = serializers.ChoiceField(choices=SaleRecord.Kind.choices)
    term_months = serializers.IntegerField(
        min_value=1, required=False, help_text="Required for new, renewal and expansion; absent for one_time."
    )
    recurring_amount = serializers.DecimalField(
        **MONEY, required=False, help_text="Required for new, renewal and expansion; absent for one_time."
    )


class SaleImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Sales recorded by this call.")
    skipped = serializers.IntegerField(help_text="Sales whose external_id was already recorded (left unchanged).")
    skipped_external_ids = serializers.ListField(child=serializers.CharField())
    records = SaleRecordSerializer(many=True, help_text="The batch's sales as stored, in the order sent.")


SALE_BATCH = PolymorphicProxySerializer(
    component_name="SaleRecordBatch",
    serializers=[SaleRecordInputSerializer, SaleRecordInputSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


class SaleRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Booked revenue.

    POST one sale object or a list (at most 5,000). The batch is validated whole first: any invalid row →
    400 with a row-level report in `error.fields` (`rows.<index>.<field>`; for a single object just
    `<field>`) and nothing recorded. A sale whose `external_id` is already recorded is skipped, so sending
    a batch again creates nothing new. 201 when something was recorded, 200 when everything was skipped.
    """

    queryset = SaleRecord.objects.none()
    serializer_class = SaleRecordSerializer
    filterset_class = SaleRecordFilterSet
    ordering_fields = ["booked_on", "amount", "created_at", "external_id"]
    conflict_actions = {"create"}

    def get_permissions(self):
        if self.action == "create":
            return [HasCapability("deals.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        return sale_records_visible_to(self.request)

    @extend_schema(
        request=SALE_BATCH,
        responses={201: SaleImportResultSerializer, 200: SaleImportResultSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = request.data
        single = isinstance(data, Mapping)
        if not single and not isinstance(data, list):
            message = _("Send one sale object or a list of them.")
            raise InvalidInput(message, fields={"non_field_errors": [message]})
        rows = [data] if single else data
        try:
            result = sale_records_import(rows=rows, source=SaleRecord.Source.API, actor=request.user)
        except ImportRejected as rejected:
            if not single:
                raise
            raise InvalidInput(_("The sale is not valid; nothing was recorded."), fields=rejected.rows[0]) from rejected
        external_ids = [str(row.get("external_id") or "").strip() for row in rows]
        stored = {record.external_id: record for record in sale_record_list().filter(external_id__in=external_ids)}
        body = {
            "created": result.created,
            "skipped": result.skipped,
            "skipped_external_ids": result.skipped_keys,
            "records": SaleRecordSerializer([stored[key] for key in external_ids], many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
