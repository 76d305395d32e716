"""/api/v1/incentives/earnings/, /payouts/ and /statements/: the ledger as its recipients and the vendor's
managers see it. Vendor staff read every line; a partner admin the company's lines (its own and its reps');
a partner rep only their own. Anything else answers 404. Payouts are prepared, approved, marked paid and
cancelled by managers (`incentives.manage`); 409 with the current state when the payout is not in the
state the action needs. `?format=csv` (or `export`) gives the payouts as CSV."""

import json

import django_filters
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from partners.models import Partner
from prm.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from prm.api.permissions import HasCapability, IsTenantMember
from prm.errors import InvalidInput

from ..models import EntryType, IncentiveProgram, LedgerEntry, Payout, Unit
from ..selectors.ledger import (
    RECIPIENT_KEY,
    STATUSES,
    earnings_visible_to,
    explain_entry,
    payouts_visible_to,
    recipients_from_keys,
    statement_detail,
    statement_rows,
    statements_of,
)
from ..services.ledger import (
    PAYOUT_LINES,
    ledger_adjust,
    ledger_clawback,
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payouts_approve,
    payouts_csv,
    payouts_prepare,
    sale_clawback,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
recipient_validator = RegexValidator(RECIPIENT_KEY, gettext_lazy("Use partner:<id> or user:<id>."))


# --- shared ----------------------------------------------------------------------------------------------
class RecipientSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["partner", "user"])
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The partner's name or the person's email.")


def _recipient(obj) -> dict:
    if obj.recipient_partner_id:
        return {"type": "partner", "id": obj.recipient_partner_id, "name": obj.recipient_partner.name}
    return {"type": "user", "id": obj.recipient_user_id, "name": obj.recipient_user.email}


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RecipientFilter(django_filters.CharFilter):
    """`recipient=partner:12` or `recipient=user:7`."""

    def __init__(self, **kwargs):
        super().__init__(
            validators=[recipient_validator], help_text=gettext_lazy("partner:<id> or user:<id>."), **kwargs
        )

    def filter(self, qs, value):
        match = RECIPIENT_KEY.match(value or "")
        if match is None:
            return qs
        field = "recipient_partner_id" if match[1] == "partner" else "recipient_user_id"
        return qs.filter(**{field: int(match[2])})


# --- earnings --------------------------------------------------------------------------------------------
class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="A portal page: the sale, the deal, the period's sales or the line.")


class EarningSerializer(serializers.ModelSerializer):
    recipient = serializers.SerializerMethodField()
    partner = serializers.SerializerMethodField()
    program = serializers.SerializerMethodField()
    amount = serializers.DecimalField(**MONEY, help_text="Points are whole numbers (currency empty).")
    status = serializers.CharField(
        help_text="pending (in no payout, or in one not approved yet), approved or paid: from the payout."
    )
    explanation_text = serializers.SerializerMethodField(help_text="The explanation as one sentence.")
    rule_version = serializers.IntegerField(source="rule_version.version", allow_null=True, default=None)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "recipient",
            "partner",
            "program",
            "period",
            "amount",
            "currency",
            "unit",
            "status",
            "entry_type",
            "source",
            "explanation",
            "explanation_text",
            "reason",
            "rule_version",
            "reverses",
            "occurred_on",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, entry):
        return _recipient(entry)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_partner(self, entry):
        return {"id": entry.partner_id, "name": entry.partner.name} if entry.partner_id else None

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_program(self, entry):
        return {"id": entry.program_id, "name": entry.program.name} if entry.program_id else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_explanation_text(self, entry):
        return explain_entry(entry)


class EarningFilterSet(django_filters.FilterSet):
    program = django_filters.NumberFilter(field_name="program_id", help_text=gettext_lazy("Program id."))
    period = django_filters.CharFilter(max_length=10, help_text=gettext_lazy("2026-Q3, 2026-07 or 2026."))
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in STATUSES])
    unit = django_filters.ChoiceFilter(choices=Unit.choices)
    entry_type = django_filters.ChoiceFilter(choices=EntryType.choices)
    recipient = RecipientFilter()

    class Meta:
        model = LedgerEntry
        fields = ["program", "period", "status", "unit", "entry_type", "recipient"]


class AdjustmentSerializer(serializers.Serializer):
    partner = serializers.IntegerField(help_text="Id of the partner the line belongs to.")
    recipient = serializers.CharField(
        required=False,
        validators=[recipient_validator],
        help_text="partner:<id> or user:<id> (one of the partner's users, or vendor staff); default: the partner.",
    )
    program = serializers.IntegerField(required=False, allow_null=True, help_text="Id of the program, if any.")
    period = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="Default: the period containing today."
    )
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.MONEY)
    currency = serializers.CharField(required=False, allow_blank=True, max_length=3, help_text="ISO 4217 (money).")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Negative to debit; never zero.")
    reason = serializers.CharField(max_length=2000, help_text="Shown on the recipient's statement.")


class ClawbackSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Shown on the recipient's statement.")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, help_text="Default: all that is left."
    )


class SaleClawbackSerializer(serializers.Serializer):
    sale = serializers.IntegerField(help_text="Id of the sale record (e.g. refunded).")
    reason = serializers.CharField(max_length=2000)


def _not_found(field: str):
    message = _("Not found.")
    return InvalidInput(message, fields={field: [message]})


MANAGER_ACTIONS = ("create", "claw_back", "sale_clawback")


class EarningViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Ledger lines (earnings, true-ups, adjustments, clawbacks …), each with its explanation and status.

    Managers (`incentives.manage`) POST a manual adjustment (`Idempotency-Key` honoured), claw back a line
    (`{id}/claw-back`: 409 once it is reversed in full) or everything a sale earned (`sale-clawback`).
    """

    queryset = LedgerEntry.objects.none()
    serializer_class = EarningSerializer
    filterset_class = EarningFilterSet
    ordering_fields = ["occurred_on", "amount", "created_at"]
    conflict_actions = {"create", "claw_back", "sale_clawback"}

    def get_permissions(self):
        if self.action in MANAGER_ACTIONS:
            return [HasCapability("incentives.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        return earnings_visible_to(self.request)

    def _render(self, entries, *, code=status.HTTP_201_CREATED, many=False):
        rows = list(self.get_queryset().filter(pk__in=[e.pk for e in entries]).order_by("pk"))
        return Response(EarningSerializer(rows if many else rows[0], many=many).data, status=code)

    @extend_schema(
        request=AdjustmentSerializer, responses={201: EarningSerializer}, parameters=[IDEMPOTENCY_KEY_PARAMETER]
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = AdjustmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partner = Partner.objects.filter(pk=data.pop("partner")).first()
        if partner is None:
            raise _not_found("partner")
        key = data.pop("recipient", "")
        recipient = partner if not key else (recipients_from_keys([key]) or [None])[0]
        if recipient is None:
            raise _not_found("recipient")
        program = None
        if data.get("program") is not None:
            program = IncentiveProgram.objects.filter(pk=data["program"]).first()
            if program is None:
                raise _not_found("program")
        data["program"] = program
        key = request.headers.get("Idempotency-Key")
        entry = ledger_adjust(
            actor=request.user,
            recipient=recipient,
            partner=partner,
            currency=data.pop("currency", ""),
            idempotency_key=f"api:{request.user.pk}:{key}" if key else None,
            **data,
        )
        return self._render([entry])

    @extend_schema(request=ClawbackSerializer, responses={201: EarningSerializer})
    @action(detail=True, methods=["post"], url_path="claw-back")
    def claw_back(self, request, pk=None):
        """Reverse the line (or `amount` of it) with a clawback line dated today; it nets off the next payout."""
        entry = self.get_object()
        serializer = ClawbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._render([ledger_clawback(actor=request.user, entry=entry, **serializer.validated_data)])

    @extend_schema(request=SaleClawbackSerializer, responses={201: EarningSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="sale-clawback")
    def sale_clawback(self, request):
        """Reverse every money line a sale earned (its own and the channel managers' shares)."""
        from deals.selectors import sale_record_list

        serializer = SaleClawbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sale = sale_record_list().filter(pk=serializer.validated_data["sale"]).first()
        if sale is None:
            raise _not_found("sale")
        lines = sale_clawback(actor=request.user, sale=sale, reason=serializer.validated_data["reason"])
        return self._render(lines, many=True)


# --- payouts ---------------------------------------------------------------------------------------------
class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        return json.dumps(data, default=str).encode(self.charset)  # an error envelope


class PayoutSerializer(serializers.ModelSerializer):
    recipient = serializers.SerializerMethodField()
    partner_name = serializers.CharField(allow_null=True, help_text="The partner the lines belong to.")
    amount = serializers.DecimalField(**MONEY)
    lines = serializers.IntegerField(source="line_count", allow_null=True)
    time_to_payment = serializers.DurationField(
        allow_null=True, help_text="Paid − the earliest line's posting (once paid)."
    )

    class Meta:
        model = Payout
        fields = [
            "id",
            "recipient",
            "partner_name",
            "currency",
            "amount",
            "status",
            "external_reference",
            "lines",
            "prepared_at",
            "approved_at",
            "paid_at",
            "time_to_payment",
        ]
        read_only_fields = fields

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, payout):
        return _recipient(payout)


class PrepareSerializer(serializers.Serializer):
    currency = serializers.CharField(min_length=3, max_length=3, help_text="ISO 4217.")
    recipients = serializers.ListField(
        child=serializers.CharField(validators=[recipient_validator]),
        required=False,
        help_text="Only these recipients (partner:<id> or user:<id>); all when absent.",
    )
    up_to = serializers.DateField(required=False, help_text="Only lines dated up to this day.")
    lines = serializers.ChoiceField(
        choices=list(PAYOUT_LINES),
        default="all",
        help_text="Which lines: all, incentives (all but MDF reimbursements) or reimbursements (MDF only).",
    )

    def validate_recipients(self, values):
        recipients = recipients_from_keys(values)
        if recipients is None:
            raise ValidationError(_("Unknown recipient."))
        return recipients


class PrepareResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    payouts = PayoutSerializer(many=True)


class ApproveBatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=1000,
        help_text="The payouts to approve together: all of them, or none when one cannot be approved.",
    )


class MarkPaidSerializer(serializers.Serializer):
    external_reference = serializers.CharField(max_length=120, help_text="The bank or payment run reference.")
    paid_on = serializers.DateField(required=False, help_text="Defaults to now.")


class PayoutFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Payout.Status.choices)
    currency = django_filters.CharFilter(max_length=3)
    recipient = RecipientFilter()

    class Meta:
        model = Payout
        fields = ["status", "currency", "recipient"]


CSV_RESPONSE = OpenApiResponse(OpenApiTypes.STR, description="CSV: one row per payout.")


class PayoutViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payouts. POST prepares proposed payouts from pending lines (managers; `Idempotency-Key` honoured):
    201 with what was created, 200 when nothing was pending. `?format=csv` exports the filtered list."""

    queryset = Payout.objects.none()
    serializer_class = PayoutSerializer
    filterset_class = PayoutFilterSet
    ordering_fields = ["prepared_at", "amount", "paid_at"]
    renderer_classes = [JSONRenderer, CSVRenderer]
    conflict_actions = {"approve", "approve_batch", "mark_paid", "cancel"}

    def get_permissions(self):
        if self.action in ("create", "approve", "approve_batch", "mark_paid", "cancel"):
            return [HasCapability("incentives.manage")()]
        return [IsTenantMember()]

    def get_queryset(self):
        return payouts_visible_to(self.request)

    def get_renderers(self):
        # CSV only where a list is answered (`?format=csv` on the list, and `export`).
        if getattr(self, "action", None) in ("list", "export"):
            return super().get_renderers()
        return [JSONRenderer()]

    def _csv(self):
        response = Response(payouts_csv(self.filter_queryset(self.get_queryset())), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="payouts.csv"'
        return response

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], required=False)],
        responses={200: PayoutSerializer(many=True), (200, "text/csv"): CSV_RESPONSE},
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self._csv()
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=PrepareSerializer,
        responses={201: PrepareResultSerializer, 200: PrepareResultSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = PrepareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        prepared = payouts_prepare(
            actor=request.user,
            currency=data["currency"],
            recipients=data.get("recipients"),
            up_to=data.get("up_to"),
            lines=data["lines"],
        )
        rows = list(self.get_queryset().filter(pk__in=[p.pk for p in prepared]))
        body = {"created": len(rows), "payouts": PayoutSerializer(rows, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED if rows else status.HTTP_200_OK)

    def _fresh(self, payout):
        return Response(PayoutSerializer(self.get_queryset().get(pk=payout.pk)).data)

    @extend_schema(request=None, responses={200: PayoutSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._fresh(payout_approve(actor=request.user, payout=self.get_object()))

    @extend_schema(
        operation_id="incentives_payouts_approve_batch",
        request=ApproveBatchSerializer,
        responses={200: PayoutSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="approve")
    def approve_batch(self, request):
        """Approve a batch of proposed payouts in one go (409 and nothing approved if one is not proposed)."""
        serializer = ApproveBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = set(serializer.validated_data["ids"])
        payouts = list(self.get_queryset().filter(pk__in=ids))
        missing = sorted(ids - {payout.pk for payout in payouts})
        if missing:
            raise NotFound(f"No payout with id {', '.join(map(str, missing))}.")
        approved = payouts_approve(actor=request.user, payouts=payouts)
        rows = self.get_queryset().filter(pk__in=[payout.pk for payout in approved]).order_by("pk")
        return Response(PayoutSerializer(rows, many=True).data)

    @extend_schema(request=MarkPaidSerializer, responses={200: PayoutSerializer})
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        payout = self.get_object()
        serializer = MarkPaidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._fresh(payout_mark_paid(actor=request.user, payout=payout, **serializer.validated_data))

    @extend_schema(request=None, responses={200: PayoutSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._fresh(payout_cancel(actor=request.user, payout=self.get_object()))

    @extend_schema(responses={(200, "text/csv"): CSV_RESPONSE})
    @action(detail=False, methods=["get"], renderer_classes=[CSVRenderer, JSONRenderer])
    def export(self, request):
        """The (filtered) payouts as CSV."""
        return self._csv()


# --- statements ------------------------------------------------------------------------------------------
class StatementTotalSerializer(serializers.Serializer):
    unit = serializers.CharField()
    currency = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    pending = serializers.DecimalField(**MONEY)
    approved = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)


class StatementSerializer(serializers.Serializer):
    id = serializers.CharField(source="key", help_text="p<partner id>_<period> or u<user id>_<period>.")
    recipient = serializers.SerializerMethodField()
    period = serializers.CharField()
    lines = serializers.IntegerField()
    totals = StatementTotalSerializer(many=True)

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, statement):
        kind = "partner" if statement.recipient_partner_id else "user"
        pk = statement.recipient_partner_id or statement.recipient_user_id
        return {"type": kind, "id": pk, "name": statement.recipient_name}


class StatementLineSerializer(EarningSerializer):
    links = serializers.SerializerMethodField()

    class Meta(EarningSerializer.Meta):
        fields = [*EarningSerializer.Meta.fields, "links"]
        read_only_fields = fields

    @extend_schema_field(LinkSerializer(many=True))
    def get_links(self, entry):
        return self.context["links"].get(entry.pk, [])


class StatementDetailSerializer(StatementSerializer):
    entries = serializers.SerializerMethodField()

    @extend_schema_field(StatementLineSerializer(many=True))
    def get_entries(self, statement):
        links = {line.pk: line.links for line in statement.entries}
        return StatementLineSerializer(statement.entries, many=True, context={"links": links}).data


class StatementFilterSet(django_filters.FilterSet):
    period = django_filters.CharFilter(max_length=10)
    recipient = RecipientFilter()

    class Meta:
        model = LedgerEntry
        fields = ["period", "recipient"]


class StatementViewSet(viewsets.GenericViewSet):
    """Statements: per recipient and period, the totals (list) and every line explained and linked to its
    sources (detail)."""

    queryset = LedgerEntry.objects.none()
    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
    lookup_value_regex = r"[pu][0-9]+_[0-9A-Za-z-]*"
    ordering_fields = []

    def get_queryset(self):
        return earnings_visible_to(self.request)

    def _vendor(self) -> bool:
        from prm.accounts.permissions import request_can

        return request_can(self.request, "incentives.view_all")

    @extend_schema(responses={200: StatementSerializer(many=True)})
    def list(self, request):
        entries = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(statement_rows(entries))
        return self.get_paginated_response(StatementSerializer(statements_of(entries, page), many=True).data)

    @extend_schema(responses={200: StatementDetailSerializer})
    def retrieve(self, request, pk=None):
        found = statement_detail(self.get_queryset(), pk, vendor=self._vendor())
        if found is None:
            raise Http404
        return Response(StatementDetailSerializer(found).data)
