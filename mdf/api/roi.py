"""API of MDF ROI: GET /mdf/roi/?group_by=&fund=&partner=&activity_type=&from=&to=.

Vendor staff read every campaign; a partner's users their company's (a `partner` filter may name only their
own company: any other is unknown, 400); anyone else 403. The definitions are in `mdf.selectors.roi`.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.models import Partner
from partners.permissions import partners_visible_to
from prm.api.permissions import IsTenantMember
from prm.api.schema import ErrorEnvelopeSerializer
from prm.errors import InvalidInput, NotAllowed

from ..models import ActivityType, Fund
from ..selectors import ROI_GROUPINGS, funds_visible_to, mdf_roi, roi_requests_for

MONEY = {"max_digits": 16, "decimal_places": 2}


class RoiRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="activity: the campaign code; activity_type: the type's key; partner: the partner id; "
        "period: the quarter the activity starts in (2026-Q3); totals: `total`."
    )
    label = serializers.CharField(help_text="Campaign title, activity type name, partner name or quarter.")
    currency = serializers.CharField(help_text="The funds' currency: every money figure of the row is in it.")
    campaigns = serializers.IntegerField(help_text="Approved or partially approved requests.")
    spend = serializers.DecimalField(
        **MONEY, help_text="MDF reimbursed: approved amounts of approved, partially approved and paid claims."
    )
    partner_cost = serializers.DecimalField(**MONEY, help_text="The actual cost those same claims state.")
    leads = serializers.IntegerField(help_text="Leads of the campaigns (from the claims' lead CSVs).")
    deals = serializers.IntegerField(help_text="Registrations made from those leads and submitted (not drafts).")
    won = serializers.IntegerField(help_text="Those registrations won.")
    won_other_currency = serializers.IntegerField(
        help_text="Won registrations in another currency than the fund's: counted in `won`, not in `revenue`."
    )
    revenue = serializers.DecimalField(**MONEY, help_text="Won amount of the won registrations in `currency`.")
    roi = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="revenue / spend, half-up to two places; null when spend is 0."
    )
    cost_per_lead = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="spend / leads, half-up to the cent; null without leads."
    )


class RoiReportSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=ROI_GROUPINGS)
    count = serializers.IntegerField(help_text="Number of rows in `results`.")
    results = RoiRowSerializer(many=True, help_text="One row per group and currency.")
    totals = RoiRowSerializer(many=True, help_text="One row per currency: the sum of the results in it.")


class RoiQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=ROI_GROUPINGS, default="activity")
    fund = serializers.PrimaryKeyRelatedField(
        queryset=Fund.objects.none(), required=False, error_messages={"does_not_exist": gettext_lazy("Unknown fund.")}
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(),
        required=False,
        error_messages={"does_not_exist": gettext_lazy("Unknown partner.")},
    )
    activity_type = serializers.PrimaryKeyRelatedField(
        queryset=ActivityType.objects.none(),
        required=False,
        error_messages={"does_not_exist": gettext_lazy("Unknown activity type.")},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds_visible_to(request)
        self.fields["partner"].queryset = partners_visible_to(request)
        self.fields["activity_type"].queryset = ActivityType.objects.all()
        # `from` is a Python keyword: declared here rather than as a class attribute.
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)

    def validate(self, attrs):
        if "from" in attrs and "to" in attrs and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": _("The end date is before the start date.")})
        return attrs


def _query_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "group_by",
            str,
            enum=list(ROI_GROUPINGS),
            description="activity (one row per campaign, default), activity_type, partner, or period (the "
            "quarter the activity starts in).",
        ),
        OpenApiParameter("fund", int, description="Fund id."),
        OpenApiParameter("partner", int, description="Partner id (partner users: only their own company)."),
        OpenApiParameter("activity_type", int, description="Activity type id."),
        OpenApiParameter("from", str, description="Activities starting on or after this date (YYYY-MM-DD)."),
        OpenApiParameter("to", str, description="Activities starting on or before this date (YYYY-MM-DD)."),
    ]


class RoiView(APIView):
    """MDF ROI: what campaigns cost in MDF and what their leads became (registrations, wins, revenue), grouped
    by activity, activity type, partner or quarter, with totals per currency.

    Vendor staff: every campaign. Partner users: their company's campaigns only. Others: 403.
    """

    permission_classes = [IsTenantMember]

    @extend_schema(
        operation_id="mdf_roi",
        parameters=_query_parameters(),
        responses={
            200: RoiReportSerializer,
            400: OpenApiResponse(ErrorEnvelopeSerializer, description="Unknown grouping, id or bad dates"),
        },
    )
    def get(self, request):
        requests = roi_requests_for(request)
        if requests is None:
            raise NotAllowed(_("MDF ROI is for vendor staff and partners."))
        query = RoiQuerySerializer(data=request.query_params, request=request)
        if not query.is_valid():
            fields = {key: [str(message) for message in messages] for key, messages in query.errors.items()}
            raise InvalidInput(_("The ROI query is not valid."), fields=fields)
        params = query.validated_data
        report = mdf_roi(
            requests=requests,
            group_by=params["group_by"],
            fund=params.get("fund"),
            partner=params.get("partner"),
            activity_type=params.get("activity_type"),
            starts_from=params.get("from"),
            starts_to=params.get("to"),
        )
        body = {"group_by": report.group_by, "count": len(report.rows), "results": report.rows, "totals": report.totals}
        return Response(RoiReportSerializer(body).data)
