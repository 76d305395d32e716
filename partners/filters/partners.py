"""The partner directory's filters, shared by the portal directory, the coverage matrix and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prm.accounts.models import Membership, User
from prm.accounts.roles import VENDOR_ROLES

from ..countries import country_choices
from ..models import Partner, PartnerStatus, Program, Tier
from ..profile import Capability, PartnerType, Region, Vertical


def _tiers(request):
    return Tier.objects.select_related("program").order_by("program", "rank")


def _programs(request):
    return Program.objects.all()


def _managers(request):
    return User.objects.filter(pk__in=Membership.objects.filter(role__in=VENDOR_ROLES).values("user_id")).order_by(
        "email"
    )


class ArrayOverlapFilter(django_filters.MultipleChoiceFilter):
    """Partners whose array field holds any of the chosen values (one value: holds that value)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__overlap": list(value)})


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    type = ArrayOverlapFilter(field_name="types", label=_("Type"), choices=PartnerType.choices)
    region = ArrayOverlapFilter(field_name="regions", label=_("Region"), choices=Region.choices)
    vertical = ArrayOverlapFilter(field_name="verticals", label=_("Vertical"), choices=Vertical.choices)
    capability = ArrayOverlapFilter(field_name="capabilities", label=_("Capability"), choices=Capability.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=PartnerStatus.choices, distinct=False)
    program = django_filters.ModelChoiceFilter(label=_("Program"), queryset=_programs)
    tier = django_filters.ModelChoiceFilter(label=_("Tier"), queryset=_tiers)
    channel_manager = django_filters.ModelChoiceFilter(label=_("Channel manager"), queryset=_managers)

    class Meta:
        model = Partner
        fields = ["q", "type", "region", "vertical", "capability", "country", "status", "program", "tier"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(domain__icontains=value))
