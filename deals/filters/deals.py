import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Deal, DealSource, DealStatus
from ..selectors import REVIEW_OVERDUE

ALL = ("", _("All"))
YES_NO = [ALL, ("true", _("Yes")), ("false", _("No"))]


class DealFilter(django_filters.FilterSet):
    """`?status=submitted&source=vendor_lead&conflicts=true&overdue=true` on the deal list and the API."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=DealStatus.choices, empty_label=ALL[1])
    source = django_filters.ChoiceFilter(label=_("Source"), choices=DealSource.choices, empty_label=ALL[1])
    conflicts = django_filters.BooleanFilter(
        label=_("Potential conflict"),
        field_name="has_conflicts",
        help_text=_("Flagged by the conflict check."),
        widget=forms.Select(choices=YES_NO),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Review overdue"),
        method="filter_overdue",
        help_text=_("Submitted and past the review deadline."),
        widget=forms.Select(choices=YES_NO),
    )

    class Meta:
        model = Deal
        fields = ["status", "source", "conflicts", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(REVIEW_OVERDUE) if value else queryset.exclude(REVIEW_OVERDUE)
