"""Filters of the sale records (the portal's sales pages and GET /api/v1/sales/) and of the catalog."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.permissions import partners_visible_to

from ..models import HouseAccount, Product, SaleRecord


def _partners(request):
    # Only partners the viewer may see: another partner's id is "not a valid choice", like a made-up one.
    return partners_visible_to(request).order_by("name") if request is not None else Partner.objects.none()


class SaleRecordFilterSet(django_filters.FilterSet):
    external_id = django_filters.CharFilter(label=_("External id"), max_length=120)
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=_partners, help_text=_("Partner id."))
    booked_after = django_filters.DateFilter(
        field_name="booked_on",
        lookup_expr="gte",
        label=_("Booked from"),
        help_text=_("First day (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    booked_before = django_filters.DateFilter(
        field_name="booked_on",
        lookup_expr="lte",
        label=_("Booked until"),
        help_text=_("Last day (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SaleRecord.Kind.choices)

    class Meta:
        model = SaleRecord
        fields = ["external_id", "partner", "booked_after", "booked_before", "kind"]


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100, help_text=_("SKU or name."))
    family = django_filters.CharFilter(label=_("Family"), max_length=80)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Product
        fields = ["q", "family", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(sku__icontains=value) | Q(name__icontains=value)) if value else queryset


class HouseAccountFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", max_length=100, help_text=_("Company name or domain.")
    )
    domain = django_filters.CharFilter(label=_("Domain"), max_length=253)

    class Meta:
        model = HouseAccount
        fields = ["q", "domain"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(company_name__icontains=value) | Q(domain__icontains=value)) if value else queryset
