"""/api/v1/leads/: managers list all leads, create and assign them; partner users see the leads with
their own partner (read-only fields) and accept, reject or convert them."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.profile import Capability, Region, Vertical
from prm.accounts.permissions import request_can
from prm.api.permissions import HasCapability, IsTenantMember

from ..filters.leads import LeadFilter
from ..lead_access import MANAGE, RESPOND, VIEW_ALL, leads_visible_to
from ..models import Lead, LeadAssignment
from ..selectors.leads import assignable_partners, lead_match_candidates, partners_that_had
from ..services.leads import (
    LEAD_FIELDS,
    REASON_MAX_LENGTH,
    lead_accept,
    lead_assign,
    lead_assign_best,
    lead_convert,
    lead_create,
    lead_reject,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class LeadPartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LeadSerializer(serializers.ModelSerializer):
    """What a partner user sees: the prospect, the context and the deadline; no earlier partners."""

    partner = LeadPartnerSerializer(read_only=True, allow_null=True)
    estimated_value = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)
    currency = serializers.SerializerMethodField(help_text="ISO 4217 code of the vendor's currency.")

    class Meta:
        model = Lead
        fields = [
            "id",
            *LEAD_FIELDS,
            "currency",
            "status",
            "partner",
            "assigned_at",
            "accept_due_at",
            "accepted_at",
            "first_action_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_currency(self, obj) -> str:
        return self.context["request"].tenant.currency


class LeadFactorSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="The partner's value compared with the lead's.")
    points = serializers.IntegerField()


class LeadFactorsSerializer(serializers.Serializer):
    country = LeadFactorSerializer()
    region = LeadFactorSerializer()
    vertical = LeadFactorSerializer()
    capability = LeadFactorSerializer()
    tier = LeadFactorSerializer()
    load = LeadFactorSerializer()
    total = serializers.IntegerField()


class LeadAssignmentSerializer(serializers.ModelSerializer):
    partner = LeadPartnerSerializer(read_only=True)
    assigned_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    factors = serializers.SerializerMethodField(help_text="Per-factor points when the partner was matched; else null.")

    class Meta:
        model = LeadAssignment
        fields = ["id", "partner", "method", "factors", "assigned_by", "assigned_at", "outcome", "decided_at", "reason"]
        read_only_fields = fields

    @extend_schema_field(LeadFactorsSerializer(allow_null=True))
    def get_factors(self, obj):
        return obj.factors or None


class LeadManagerSerializer(LeadSerializer):
    """What vendor staff see: also the SLA flag and every assignment with its factors."""

    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    assignments = LeadAssignmentSerializer(many=True, read_only=True)

    class Meta(LeadSerializer.Meta):
        fields = [*LeadSerializer.Meta.fields, "sla_flagged_at", "created_by", "assignments"]
        read_only_fields = fields


def _choice(choices, help_text: str):
    # A plain string in the schema (the service checks the value): the partner profile's fields name
    # the same choice sets in the plural, and one set may have only one component name.
    values = ", ".join(value for value, _label in choices)
    return serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=f"{help_text} One of: {values}."
    )


class LeadCreateSerializer(serializers.Serializer):
    company_name = serializers.CharField(max_length=200)
    company_domain = serializers.CharField(max_length=253, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. DE."
    )
    region = _choice(Region.choices, "The region the prospect is in.")
    vertical = _choice(Vertical.choices, "The prospect's industry.")
    capability = _choice(Capability.choices, "What the prospect needs a partner for.")
    need = serializers.CharField(required=False, allow_blank=True)
    source_campaign = serializers.CharField(max_length=160, required=False, allow_blank=True)
    context_notes = serializers.CharField(
        required=False, allow_blank=True, help_text="Content the prospect viewed etc.; shown to the partner."
    )
    estimated_value = serializers.DecimalField(required=False, allow_null=True, min_value=0, **MONEY)


class LeadAssignSerializer(serializers.Serializer):
    partner = serializers.IntegerField(required=False, help_text="The partner's id (onboarding or active).")
    best = serializers.BooleanField(required=False, default=False, help_text="Assign to the best-matching partner.")

    def validate(self, data):
        if bool(data.get("partner")) == bool(data.get("best")):
            raise serializers.ValidationError(_("Give either a partner or best: true."))
        if data.get("partner"):
            partner = assignable_partners().filter(pk=data["partner"]).first()
            if partner is None:
                raise serializers.ValidationError({"partner": [_("No onboarding or active partner has this id.")]})
            data["partner"] = partner
        return data


class LeadRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Shown to the vendor's managers.")


class LeadConvertLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(help_text="An active product's id.")
    quantity = serializers.IntegerField(min_value=1)


class LeadConvertSerializer(serializers.Serializer):
    """Registration fields; anything left out is taken from the lead (the close date must be given)."""

    customer_name = serializers.CharField(max_length=200, required=False)
    customer_domain = serializers.CharField(max_length=253, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    expected_close_date = serializers.DateField()
    estimated_value = serializers.DecimalField(required=False, min_value=0, **MONEY)
    currency = serializers.CharField(max_length=3, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    lines = LeadConvertLineSerializer(many=True, required=False)


class LeadConvertedSerializer(serializers.Serializer):
    deal = serializers.IntegerField(help_text="The id of the new draft registration (see /api/v1/deals/).")
    lead = LeadSerializer()


class LeadCandidateSerializer(serializers.Serializer):
    partner = LeadPartnerSerializer()
    factors = LeadFactorsSerializer()


ANSWERS = {"accept", "reject", "convert"}


class LeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Lead.objects.none()  # the model, for the schema; rows come from get_queryset()
    filterset_class = LeadFilter
    ordering_fields = ["created_at", "accept_due_at", "company_name", "status"]
    conflict_actions = {"assign", *ANSWERS}

    def get_permissions(self):
        if self.action in ("create", "assign"):
            return [HasCapability(MANAGE)()]
        if self.action == "candidates":
            return [HasCapability(VIEW_ALL)()]
        if self.action in ANSWERS:
            return [HasCapability(RESPOND)()]
        return [IsTenantMember()]

    def get_queryset(self):
        leads = leads_visible_to(self.request)
        if self.action in ("list", "retrieve") and request_can(self.request, VIEW_ALL):
            leads = leads.select_related("created_by").prefetch_related(
                "assignments__partner", "assignments__assigned_by"
            )
        return leads

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or request_can(self.request, VIEW_ALL):
            return LeadManagerSerializer
        return LeadSerializer

    def _lead(self, lead: Lead, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=lead.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(request=LeadCreateSerializer, responses={201: LeadManagerSerializer})
    def create(self, request, *args, **kwargs):
        serializer = LeadCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._lead(lead_create(actor=request.user, **serializer.validated_data), status.HTTP_201_CREATED)

    @extend_schema(request=LeadAssignSerializer, responses={200: LeadManagerSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Offer the lead to a partner (`partner`) or to the best match (`best: true`); 409 once accepted."""
        lead = self.get_object()
        serializer = LeadAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data.get("best"):
            lead = lead_assign_best(lead=lead, actor=request.user)
        else:
            lead = lead_assign(lead=lead, partner=serializer.validated_data["partner"], actor=request.user)
        return self._lead(lead)

    @extend_schema(responses={200: LeadCandidateSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        """The partners matching the lead, best first, with each factor's points (partners that had it left out)."""
        lead = self.get_object()
        matches = lead_match_candidates(lead=lead, exclude_partner_ids=partners_that_had(lead))
        rows = [{"partner": match.partner, "factors": match.score.as_factors()} for match in matches]
        return Response(LeadCandidateSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: LeadSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Take the lead on (partner admin or rep of the assigned partner, within the SLA)."""
        return self._lead(lead_accept(lead=self.get_object(), actor=request.user))

    @extend_schema(request=LeadRejectSerializer, responses={200: LeadSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Turn the lead down with a reason; it goes back to the vendor and is no longer visible here."""
        lead = self.get_object()
        serializer = LeadRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lead = lead_reject(lead=lead, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(lead).data)

    @extend_schema(request=LeadConvertSerializer, responses={201: LeadConvertedSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Register a deal from an accepted lead (source vendor_lead, a draft to submit); returns its id."""
        lead = self.get_object()
        serializer = LeadConvertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = lead_convert(lead=lead, actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=lead.pk)
        body = {"deal": deal.pk, "lead": LeadSerializer(fresh, context=self.get_serializer_context()).data}
        return Response(body, status=status.HTTP_201_CREATED)
