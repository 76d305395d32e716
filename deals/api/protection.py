"""API of the protection lifecycle on a deal: request an extension, approve (`extend`) or reject it, amend.

Explicit routes next to CORE's deals viewset: a deal the caller cannot see is a 404; one they can see but
may not act on is a 403; an action the deal's state does not allow is a 409 with the current state.
"""

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.services.tiers import tenant_today
from prm.api.permissions import HasCapability, IsTenantMember
from prm.errors import NotAllowed

from ..models import Deal, ExtensionRequest
from ..permissions import can_amend, can_request_extension, deals_visible_to
from ..protection_rules import days_left, extensions_left
from ..selectors import deal_rules_for, extension_pending_of
from ..services import deal_amend, deal_extension_approve, deal_extension_reject, deal_extension_request
from ..services.protection import AMENDABLE_FIELDS


class ExtensionRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "deal", "status", "reason", "requested_by", "created_at", "decided_at", "decision_reason"]
        read_only_fields = fields


class DealProtectionSerializer(serializers.Serializer):
    deal = serializers.IntegerField()
    status = serializers.CharField()
    protected_until = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text="Days of protection after today; 0 = last day.")
    extensions_used = serializers.IntegerField()
    max_extensions = serializers.IntegerField(help_text="The cap set by the partner's program.")
    extensions_left = serializers.IntegerField()
    extension_days = serializers.IntegerField(help_text="Days each approved extension adds.")
    pending_request = ExtensionRequestSerializer(allow_null=True)


def protection_data(deal: Deal) -> dict:
    rules = deal_rules_for(deal.partner.program_id)
    return {
        "deal": deal.pk,
        "status": deal.status,
        "protected_until": deal.protected_until,
        "days_left": days_left(protected_until=deal.protected_until, today=tenant_today()),
        "extensions_used": deal.extensions_used,
        "max_extensions": rules.max_extensions,
        "extensions_left": extensions_left(used=deal.extensions_used, cap=rules.max_extensions),
        "extension_days": rules.extension_days,
        "pending_request": extension_pending_of(deal),
    }


class ExtensionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required.")


class ExtensionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Optional note.")


def _deal(request, pk: int) -> Deal:
    return get_object_or_404(deals_visible_to(request).select_related("partner"), pk=pk)


def _extension_step(request, deal: Deal, input_serializer, service, *, http_status=status.HTTP_200_OK) -> Response:
    """Run one extension service with the input's fields; answer with the deal's protection afresh."""
    serializer = input_serializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    service(deal=deal, actor=request.user, **serializer.validated_data)
    return Response(DealProtectionSerializer(protection_data(_deal(request, deal.pk))).data, status=http_status)


class DealRequestExtensionView(APIView):
    """The registering partner asks for longer protection of an approved, still protected deal (reason
    required). 409 when one is already pending, protection has ended, or the program's cap is used."""

    permission_classes = [IsTenantMember]
    conflict_actions = {"post"}

    @extend_schema(request=ExtensionReasonSerializer, responses={201: DealProtectionSerializer})
    def post(self, request, pk: int):
        deal = _deal(request, pk)
        if not can_request_extension(request, deal):
            raise NotAllowed(_("Only the registering partner asks for an extension."))
        return _extension_step(
            request, deal, ExtensionReasonSerializer, deal_extension_request, http_status=status.HTTP_201_CREATED
        )


class DealExtendView(APIView):
    """Managers approve the pending extension request: protection runs the program's extension days longer
    from its current end. 409 without a pending request or once the cap is used."""

    permission_classes = [HasCapability("deals.manage")]
    conflict_actions = {"post"}

    @extend_schema(request=ExtensionNoteSerializer, responses=DealProtectionSerializer)
    def post(self, request, pk: int):
        return _extension_step(request, _deal(request, pk), ExtensionNoteSerializer, deal_extension_approve)


class DealExtensionRejectView(APIView):
    """Managers turn down the pending extension request with a reason. 409 without a pending request."""

    permission_classes = [HasCapability("deals.manage")]
    conflict_actions = {"post"}

    @extend_schema(request=ExtensionReasonSerializer, responses=DealProtectionSerializer)
    def post(self, request, pk: int):
        return _extension_step(request, _deal(request, pk), ExtensionReasonSerializer, deal_extension_reject)


class AmendLineInSerializer(serializers.Serializer):
    product = serializers.IntegerField(help_text="Product id (an active product of the catalog).")
    quantity = serializers.IntegerField(min_value=1)


class AmendedLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    sku = serializers.CharField(source="product.sku")
    quantity = serializers.IntegerField()
    unit_list_price = serializers.DecimalField(max_digits=14, decimal_places=2)


class DealAmendSerializer(serializers.Serializer):
    """Send only what changes; `lines` replaces all lines."""

    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    expected_close_date = serializers.DateField(required=False)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    lines = AmendLineInSerializer(many=True, required=False)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - {*AMENDABLE_FIELDS, "lines"})
        if unknown:
            raise serializers.ValidationError({name: [_("This field cannot be amended.")] for name in unknown})
        return attrs


class DealAmendedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    expected_close_date = serializers.DateField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    notes = serializers.CharField()
    lines = AmendedLineSerializer(many=True, source="lines.all")


class DealAmendView(APIView):
    """Amend value, expected close date, contact, notes or lines of a draft, submitted or approved deal;
    recorded in its history with before and after. The registering partner and managers may amend."""

    permission_classes = [IsTenantMember]
    conflict_actions = {"patch"}

    @extend_schema(request=DealAmendSerializer, responses=DealAmendedSerializer)
    def patch(self, request, pk: int):
        deal = _deal(request, pk)
        if not can_amend(request, deal):
            raise NotAllowed(_("Only the registering partner and channel managers amend a deal."))
        serializer = DealAmendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "lines" in changes:
            changes["lines"] = [dict(line) for line in changes["lines"]]
        deal_amend(deal=deal, actor=request.user, **changes)
        deal = deals_visible_to(request).prefetch_related("lines__product").get(pk=pk)
        return Response(DealAmendedSerializer(deal).data)


urlpatterns = [
    re_path(
        r"^deals/(?P<pk>[0-9]+)/request-extension/?$", DealRequestExtensionView.as_view(), name="deal-request-extension"
    ),
    re_path(r"^deals/(?P<pk>[0-9]+)/extend/?$", DealExtendView.as_view(), name="deal-extend"),
    re_path(
        r"^deals/(?P<pk>[0-9]+)/extension-reject/?$", DealExtensionRejectView.as_view(), name="deal-extension-reject"
    ),
    re_path(r"^deals/(?P<pk>[0-9]+)/amend/?$", DealAmendView.as_view(), name="deal-amend"),
]
