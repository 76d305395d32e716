"""The leads list's filters, shared by the managers' portal list and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Lead
from ..selectors.leads import assignable_partners, lead_overdue_q

ALL = ("", _("All"))


def _partners(request):
    return assignable_partners()


class LeadFilter(django_filters.FilterSet):
    """`?status=assigned&partner=<id>&overdue=true&q=<company>`."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Lead.Status.choices, empty_label=ALL[1])
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=_partners, empty_label=ALL[1])
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        help_text=_("Assigned and not answered within the SLA."),
        widget=forms.Select(choices=[ALL, ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Lead
        fields = ["q", "status", "partner", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(company_name__icontains=value) | Q(company_domain__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(lead_overdue_q()) if value else queryset.exclude(lead_overdue_q())
