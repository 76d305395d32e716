"""/api/v1/incentives/activities/: manually logged activities that earn points (demos, webinars).

Vendor staff read every activity, a partner admin the company's, a partner rep their own. Managers
record any manual kind for anyone; a partner user logs their own demos (partner defaults to their own).
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from partners.permissions import partners_visible_to, request_partner
from prm.accounts.models import Membership
from prm.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from prm.api.permissions import IsTenantMember
from prm.errors import InvalidInput

from ..activity_kinds import MANUAL_KINDS
from ..models import ActivityEvent
from ..selectors.activity import activities_visible_to
from ..services.activity import DESCRIPTION_MAX_LENGTH, REFERENCE_MAX_LENGTH, activity_log

KIND_CHOICES = [(key, str(label)) for key, label in MANUAL_KINDS.items()]


class ActivityEventSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", help_text="User id of the person who did it.")
    user_email = serializers.EmailField(source="user.email")
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner.name")
    logged_by = serializers.IntegerField(source="logged_by_id", allow_null=True)

    class Meta:
        model = ActivityEvent
        fields = [
            "id",
            "kind",
            "user",
            "user_email",
            "partner",
            "partner_name",
            "occurred_on",
            "reference",
            "description",
            "logged_by",
            "created_at",
        ]
        read_only_fields = fields


class ActivityLogSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    user = serializers.IntegerField(required=False, help_text="User id; default: yourself.")
    partner = serializers.IntegerField(required=False, help_text="Partner id; default: your own partner.")
    occurred_on = serializers.DateField(help_text="The day it happened (not in the future).")
    reference = serializers.CharField(
        max_length=REFERENCE_MAX_LENGTH, help_text="Your reference (webinar id, CRM activity id); recorded once."
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES)
    partner = django_filters.NumberFilter(field_name="partner_id", help_text="Partner id.")
    user = django_filters.NumberFilter(field_name="user_id", help_text="User id.")
    occurred_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = ActivityEvent
        fields = ["kind", "partner", "user", "occurred_after", "occurred_before"]


class ActivityEventViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = ActivityEvent.objects.none()
    serializer_class = ActivityEventSerializer
    permission_classes = [IsTenantMember]
    filterset_class = ActivityFilter
    ordering_fields = ["occurred_on", "created_at", "kind"]
    conflict_actions = {"create"}

    def get_queryset(self):
        return activities_visible_to(self.request)

    @extend_schema(
        request=ActivityLogSerializer, responses={201: ActivityEventSerializer}, parameters=[IDEMPOTENCY_KEY_PARAMETER]
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Log an activity: 403 when you may not log it, 409 `duplicate` for a reference already recorded."""
        serializer = ActivityLogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "partner" in data:
            partner = partners_visible_to(request).filter(pk=data["partner"]).first()
        else:
            partner = request_partner(request)
        if partner is None:
            message = _("Choose a partner.")
            raise InvalidInput(message, fields={"partner": [message]})
        if "user" in data:
            membership = Membership.objects.select_related("user").filter(user_id=data["user"]).first()
            user = membership.user if membership is not None else None
        else:
            user = request.user
        if user is None:
            message = _("No person of this vendor has this id.")
            raise InvalidInput(message, fields={"user": [message]})
        event = activity_log(
            actor=request.user,
            kind=data["kind"],
            user=user,
            partner=partner,
            occurred_on=data["occurred_on"],
            reference=data["reference"],
            description=data.get("description", ""),
        )
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(ActivityEventSerializer(fresh).data, status=status.HTTP_201_CREATED)
