"""Leaderboard pages: "Leaderboards" for vendor staff (filters, a bar chart of the top N and the table; tenant
admins publish the boards there) and "Leaderboard" for partner users (the published top 10 and their standing).
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from partners.models import Program, Tier
from partners.permissions import request_partner
from partners.profile import Region
from partners.services.tiers import tenant_today
from prm.accounts.permissions import capability_required, request_can
from prm.errors import InvalidInput
from prm.portal.charts import bar_chart

from ..leaderboard_metrics import SCOPES, leaderboard_metric, leaderboard_metrics
from ..models import LeaderboardSnapshot
from ..periods import period_containing
from ..selectors.leaderboards import (
    MAX_LIMIT,
    PUBLISHED_TOP,
    leaderboard_for_partner,
    leaderboard_settings,
    leaderboard_top,
)
from ..services.leaderboards import leaderboard_period, leaderboard_settings_update


class BoardForm(forms.Form):
    metric = forms.ChoiceField(label=gettext_lazy("Metric"))
    period = forms.CharField(label=gettext_lazy("Period"), help_text=gettext_lazy("2026-07, 2026-Q3 or 2026."))
    by = forms.ChoiceField(label=gettext_lazy("Rank"), choices=LeaderboardSnapshot.Scope.choices, initial="partner")

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["metric"].choices = [(metric.key, metric.label) for metric in leaderboard_metrics()]

    def clean_period(self):
        try:
            return leaderboard_period(self.cleaned_data["period"]).key
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from error


class VendorBoardForm(BoardForm):
    program = forms.ModelChoiceField(label=gettext_lazy("Program"), queryset=Program.objects.none(), required=False)
    tier = forms.ModelChoiceField(label=gettext_lazy("Tier"), queryset=Tier.objects.none(), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    limit = forms.IntegerField(label=gettext_lazy("Top"), min_value=1, max_value=MAX_LIMIT, initial=PUBLISHED_TOP)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["program"].queryset = Program.objects.order_by("name")
        self.fields["tier"].queryset = Tier.objects.select_related("program").order_by("program__name", "rank")
        self.fields["region"].choices = [("", "—"), *Region.choices]


class PublishForm(forms.Form):
    published = forms.BooleanField(label=gettext_lazy("Publish the top 10 to partners"), required=False)
    show_names = forms.BooleanField(label=gettext_lazy("Show other partners' names"), required=False)


def _form_data(request, defaults: dict) -> dict:
    data = {**defaults}
    data.update({key: request.GET[key] for key in request.GET if request.GET[key] != ""})
    return data


def _defaults() -> dict:
    return {"metric": "revenue", "period": period_containing(tenant_today(), "quarter").key, "by": "partner"}


def _board_context(request, form, rows, own=None) -> dict:
    metric = leaderboard_metric(form.cleaned_data["metric"]) if form.is_valid() else None
    return {
        "form": form,
        "rows": rows,
        "own": own,
        "metric": metric,
        "currency": request.tenant.currency if metric is not None and metric.unit == "money" else "",
        "chart": bar_chart(rows, value=lambda row: row.value),
        "refreshed_at": rows[0].refreshed_at if rows else None,
        "scopes": SCOPES,
    }


@capability_required("incentives.view_all")
@require_GET
def leaderboards(request):
    form = VendorBoardForm(_form_data(request, {**_defaults(), "limit": PUBLISHED_TOP}))
    rows = []
    if form.is_valid():
        data = form.cleaned_data
        rows = leaderboard_top(
            period=data["period"],
            metric=data["metric"],
            scope=data["by"],
            program=data["program"],
            tier=data["tier"],
            region=data["region"] or None,
            limit=data["limit"],
        )
    context = _board_context(request, form, rows)
    context["vendor"] = True
    if request_can(request, "settings.manage"):
        settings = leaderboard_settings()
        context["publish_form"] = PublishForm(
            initial={"published": settings.leaderboard_published, "show_names": settings.leaderboard_show_names}
        )
    return render(request, "incentives/leaderboards.html", context)


@capability_required("settings.manage")
@require_POST
def leaderboards_publish(request):
    form = PublishForm(request.POST)
    form.is_valid()  # two optional checkboxes: always valid
    leaderboard_settings_update(
        actor=request.user, published=form.cleaned_data["published"], show_names=form.cleaned_data["show_names"]
    )
    messages.success(request, _("Leaderboard publication saved."))
    return redirect("incentives:leaderboards")


@capability_required("incentives.earn")
@require_GET
def partner_leaderboard(request):
    partner = request_partner(request)
    if partner is None:
        raise Http404
    settings = leaderboard_settings()
    form = BoardForm(_form_data(request, _defaults()))
    rows, own = [], None
    if settings.leaderboard_published and form.is_valid():
        data = form.cleaned_data
        board = leaderboard_for_partner(
            period=data["period"],
            metric=data["metric"],
            scope=data["by"],
            partner=partner,
            user=request.user,
            show_names=settings.leaderboard_show_names,
        )
        rows, own = board.rows, board.own
    context = _board_context(request, form, rows, own)
    context["vendor"] = False
    context["published"] = settings.leaderboard_published
    return render(request, "incentives/leaderboards.html", context)


urlpatterns = [
    path("leaderboards/", leaderboards, name="leaderboards"),
    path("leaderboards/publish", leaderboards_publish, name="leaderboards-publish"),
    path("leaderboard/", partner_leaderboard, name="partner-leaderboard"),
]
