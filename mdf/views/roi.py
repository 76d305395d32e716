"""The MDF ROI page (`mdf:roi`): campaigns' spend, leads, deals and revenue grouped by activity, activity type,
partner or quarter, with filters and totals per currency. Vendor staff see every partner (and a bar chart of ROI
by activity type); a partner's users see their company's figures."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from partners.models import Partner
from partners.permissions import partners_visible_to
from prm.accounts.permissions import capability_required, request_can
from prm.portal.charts import bar_chart

from ..models import ActivityType, Fund
from ..selectors import funds_visible_to, mdf_roi, roi_requests_for

GROUP_LABELS = {
    "activity": gettext_lazy("Activity"),
    "activity_type": gettext_lazy("Activity type"),
    "partner": gettext_lazy("Partner"),
    "period": gettext_lazy("Quarter"),
}


class RoiFilterForm(forms.Form):
    group_by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=list(GROUP_LABELS.items()))
    fund = forms.ModelChoiceField(label=gettext_lazy("Fund"), queryset=Fund.objects.none(), required=False)
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none(), required=False)
    activity_type = forms.ModelChoiceField(
        label=gettext_lazy("Activity type"), queryset=ActivityType.objects.none(), required=False
    )

    def __init__(self, data, *, request, vendor: bool):
        super().__init__(data)
        self.fields["fund"].queryset = funds_visible_to(request).order_by("-starts_on", "name")
        self.fields["activity_type"].queryset = ActivityType.objects.order_by("position", "name")
        if vendor:
            self.fields["partner"].queryset = partners_visible_to(request).order_by("name")
        else:
            del self.fields["partner"]
        # `from` is a Python keyword: the same parameter names as the API.
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("Activity from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=gettext_lazy("Activity to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def report_filters(self) -> dict:
        data = self.cleaned_data
        return {
            "fund": data["fund"],
            "partner": data.get("partner"),
            "activity_type": data["activity_type"],
            "starts_from": data["from"],
            "starts_to": data["to"],
        }


def roi_chart(rows) -> dict:
    """ROI per row as a bar chart; a row without spend has no ROI and no bar. Labels name the currency when the
    rows are in several."""
    chart = bar_chart(rows, value=lambda row: row.roi, min_width=0)
    several_currencies = len({row.currency for row in rows}) > 1
    for bar in chart["bars"]:
        row = bar["row"]
        bar["label"] = f"{row.label} ({row.currency})" if several_currencies else row.label
    return chart


@capability_required("portal.use")
@require_GET
def roi(request):
    requests = roi_requests_for(request)
    if requests is None:
        raise PermissionDenied
    vendor = request_can(request, "mdf.view_all")
    data = {"group_by": "activity", **{key: value for key, value in request.GET.items() if value != ""}}
    form = RoiFilterForm(data, request=request, vendor=vendor)
    context = {"form": form, "vendor": vendor, "report": None, "chart": None}
    if form.is_valid():
        group_by = form.cleaned_data["group_by"]
        filters = form.report_filters()
        report = mdf_roi(requests=requests, group_by=group_by, **filters)
        context["report"] = report
        context["group_label"] = GROUP_LABELS[group_by]
        if vendor:
            by_type = (
                report
                if group_by == "activity_type"
                else mdf_roi(requests=requests, group_by="activity_type", **filters)
            )
            context["chart"] = roi_chart(by_type.rows) if by_type.rows else None
    return render(request, "mdf/roi.html", context)


urlpatterns = [
    path("mdf/roi/", roi, name="roi"),
]
