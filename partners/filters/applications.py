import django_filters
from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from ..models import PartnerApplication, Program
from ..selectors.applications import DUPLICATE

ALL = ("", _("All"))


class _ProgramChoices(BaseChoiceIterator):
    """The vendor's programs, read once, and only when a form renders them (the API never does)."""

    def __init__(self):
        self._choices = None

    def __iter__(self):
        if self._choices is None:
            self._choices = [ALL, *Program.objects.order_by("position", "name").values_list("slug", "name")]
        yield from self._choices


class ApplicationFilter(django_filters.FilterSet):
    """`?status=submitted&duplicate=true&program=<slug>` on the review list and the API."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PartnerApplication.Status.choices, empty_label=ALL[1]
    )
    duplicate = django_filters.BooleanFilter(
        label=_("Duplicate"),
        method="filter_duplicate",
        help_text=_("Same domain as a partner or an earlier application."),
        widget=forms.Select(choices=[ALL, ("true", _("Yes")), ("false", _("No"))]),
    )
    program = django_filters.CharFilter(label=_("Program"), field_name="program__slug", help_text=_("Program slug."))

    class Meta:
        model = PartnerApplication
        fields = ["status", "duplicate", "program"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["program"].extra["widget"] = forms.Select(choices=_ProgramChoices())

    def filter_duplicate(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(DUPLICATE) if value else queryset.exclude(DUPLICATE)
