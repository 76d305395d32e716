"""Filters of the MDF lists (`?status=submitted&fund=<id>` …), shared by the API and the portal lists. Ids of
rows a reader cannot see simply match nothing: the lists are scoped before they are filtered."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Allocation, Fund, MdfClaim, MdfClaimStatus, MdfRequest, MdfRequestStatus

ALL = _("All")


class FundFilterSet(django_filters.FilterSet):
    active = django_filters.DateFilter(
        label=_("Active on"), method="filter_active", help_text=_("Funds whose period includes this day.")
    )
    scheme = django_filters.ChoiceFilter(label=_("Period"), choices=Fund.Scheme.choices, empty_label=ALL)

    class Meta:
        model = Fund
        fields = ["active", "scheme"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class AllocationFilterSet(django_filters.FilterSet):
    fund = django_filters.NumberFilter(label=_("Fund"), field_name="fund_id", help_text=_("Fund id."))
    partner = django_filters.NumberFilter(label=_("Partner"), field_name="partner_id", help_text=_("Partner id."))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Allocation.Source.choices, empty_label=ALL)

    class Meta:
        model = Allocation
        fields = ["fund", "partner", "source"]


class MdfRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MdfRequestStatus.choices, empty_label=ALL)
    partner = django_filters.NumberFilter(label=_("Partner"), field_name="partner_id", help_text=_("Partner id."))
    fund = django_filters.NumberFilter(label=_("Fund"), field_name="allocation__fund_id", help_text=_("Fund id."))
    activity_type = django_filters.NumberFilter(
        label=_("Activity type"), field_name="activity_type_id", help_text=_("Activity type id.")
    )

    class Meta:
        model = MdfRequest
        fields = ["status", "partner", "fund", "activity_type"]


class MdfClaimFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MdfClaimStatus.choices, empty_label=ALL)
    partner = django_filters.NumberFilter(label=_("Partner"), field_name="partner_id", help_text=_("Partner id."))
    fund = django_filters.NumberFilter(label=_("Fund"), field_name="allocation__fund_id", help_text=_("Fund id."))
    request = django_filters.NumberFilter(
        label=_("Request"), field_name="request_id", help_text=_("Id of the pre-approval request.")
    )

    class Meta:
        model = MdfClaim
        fields = ["status", "partner", "fund", "request"]
