"""API of leaderboards: GET /leaderboards/?metric=&period=&by=partner|rep&program=&tier=&region=&limit=.

Vendor staff read every board in full. Partner users read a board only while the vendor publishes it (403
otherwise: the endpoint is no secret, the board is withheld): the top 10, other companies anonymised unless
the vendor shows names, and their own standing (`own`) even outside the top 10.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.permissions import request_partner
from partners.profile import Region
from prm.accounts.permissions import request_can
from prm.api.permissions import IsTenantMember
from prm.api.schema import ErrorEnvelopeSerializer
from prm.errors import InvalidInput, NotAllowed

from ..leaderboard_metrics import SCOPES, leaderboard_metric, leaderboard_metrics
from ..selectors.leaderboards import (
    MAX_LIMIT,
    PUBLISHED_TOP,
    leaderboard_for_partner,
    leaderboard_settings,
    leaderboard_top,
)
from ..services.leaderboards import leaderboard_period


class LeaderRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 is the best; ties share a rank. Re-ranked when filtered.")
    name = serializers.CharField(help_text="The partner, or “rep (partner)”; “Partner #3” when anonymised.")
    partner = serializers.IntegerField(source="partner_id", allow_null=True, help_text="Null when anonymised.")
    partner_name = serializers.CharField(allow_blank=True)
    user = serializers.IntegerField(source="user_id", allow_null=True, help_text="The rep (by=rep); else null.")
    user_name = serializers.CharField(allow_blank=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    own = serializers.BooleanField(help_text="The viewer's own company (or own person on a rep board).")
    anonymised = serializers.BooleanField()


class LeaderboardSerializer(serializers.Serializer):
    metric = serializers.CharField()
    metric_label = serializers.CharField()
    unit = serializers.ChoiceField(choices=["money", "count", "points"])
    currency = serializers.CharField(allow_blank=True, help_text="For money: the vendor's currency.")
    period = serializers.CharField()
    by = serializers.ChoiceField(choices=SCOPES)
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text="When the snapshot was taken.")
    count = serializers.IntegerField()
    results = LeaderRowSerializer(many=True)
    own = LeaderRowSerializer(allow_null=True, help_text="Partner users: their own standing, even outside the top.")


class LeaderboardQuerySerializer(serializers.Serializer):
    metric = serializers.CharField()
    period = serializers.CharField(help_text="2026-07 (month), 2026-Q3 (quarter) or 2026 (year).")
    by = serializers.ChoiceField(choices=SCOPES, default="partner")
    program = serializers.IntegerField(required=False, help_text="Partner program id (as at the snapshot).")
    tier = serializers.IntegerField(required=False, help_text="Tier id (as at the snapshot).")
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=PUBLISHED_TOP)

    def validate_metric(self, value):
        if leaderboard_metric(value) is None:
            keys = ", ".join(metric.key for metric in leaderboard_metrics())
            raise serializers.ValidationError(_("Unknown metric; use one of %(keys)s.") % {"keys": keys})
        return value

    def validate_period(self, value):
        try:
            return leaderboard_period(value).key
        except InvalidInput as error:
            raise serializers.ValidationError(error.message) from error


def _query_parameters() -> list[OpenApiParameter]:
    keys = [metric.key for metric in leaderboard_metrics()]
    return [
        OpenApiParameter("metric", str, required=True, enum=keys),
        OpenApiParameter("period", str, required=True, description="2026-07, 2026-Q3 or 2026."),
        OpenApiParameter("by", str, enum=list(SCOPES), description="partner (default) or rep."),
        OpenApiParameter("program", int, description="Partner program id."),
        OpenApiParameter("tier", int, description="Tier id."),
        OpenApiParameter("region", str, enum=list(Region.values), description="Partner region."),
        OpenApiParameter("limit", int, description=f"Vendor staff: 1–{MAX_LIMIT} (default 10). Partners: 10."),
    ]


class LeaderboardView(APIView):
    """A ranked board from the latest snapshot (refreshed after every run and hourly).

    Vendor staff: every board in full (`limit` up to 100). Partner users: only while the vendor publishes its
    boards (403 otherwise): the top 10, other companies anonymised unless the vendor shows names, and `own`,
    their standing even outside the top 10. Filters rank the remaining rows again (1 = best in the filter).
    """

    permission_classes = [IsTenantMember]

    @extend_schema(
        parameters=_query_parameters(),
        responses={
            200: LeaderboardSerializer,
            400: OpenApiResponse(ErrorEnvelopeSerializer, description="Unknown metric, bad period or filter"),
        },
    )
    def get(self, request):
        query = LeaderboardQuerySerializer(data=request.query_params)
        if not query.is_valid():
            fields = {key: [str(message) for message in messages] for key, messages in query.errors.items()}
            raise InvalidInput(_("The leaderboard query is not valid."), fields=fields)
        params = query.validated_data
        metric = leaderboard_metric(params["metric"])
        board = {
            "period": params["period"],
            "metric": metric.key,
            "scope": params["by"],
            "program": params.get("program"),
            "tier": params.get("tier"),
            "region": params.get("region"),
        }
        own = None
        if request_can(request, "incentives.view_all"):
            rows = leaderboard_top(**board, limit=params["limit"])
        else:
            partner = request_partner(request) if request_can(request, "incentives.earn") else None
            if partner is None:
                raise NotAllowed(_("Leaderboards are for vendor staff and partners."))
            settings = leaderboard_settings()
            if not settings.leaderboard_published:
                raise NotAllowed(_("The vendor does not publish its leaderboards."))
            published = leaderboard_for_partner(
                **board, partner=partner, user=request.user, show_names=settings.leaderboard_show_names
            )
            rows, own = published.rows, published.own
        body = {
            "metric": metric.key,
            "metric_label": str(metric.label),
            "unit": metric.unit,
            "currency": request.tenant.currency if metric.unit == "money" else "",
            "period": params["period"],
            "by": params["by"],
            "refreshed_at": rows[0].refreshed_at if rows else (own.refreshed_at if own else None),
            "count": len(rows),
            "results": rows,
            "own": own,
        }
        return Response(LeaderboardSerializer(body).data)
