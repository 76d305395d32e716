"""Forms of the company pages (profile, people, directory actions, coverage, business plans)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prm.accounts.roles import Role

from ..countries import country_choices
from ..metrics import metric_choices
from ..models import BusinessPlan, Partner
from ..profile import PROFILE_FIELDS, Capability, PartnerType, Region, Vertical
from ..selectors import channel_manager_candidates
from ..selectors.company import DIMENSIONS

PARTNER_ROLE_CHOICES = [
    (Role.PARTNER_REP.value, Role.PARTNER_REP.label),
    (Role.PARTNER_ADMIN.value, Role.PARTNER_ADMIN.label),
]


def _multi(label, choices):
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


def _blank_first(choices):
    return [("", "—"), *choices()]


class PartnerProfileForm(forms.ModelForm):
    """Field shapes only: `partner_update_profile` validates and saves."""

    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    country = forms.ChoiceField(label=_("Country"), choices=lambda: _blank_first(country_choices), required=False)
    regions = _multi(_("Regions"), Region.choices)
    types = _multi(_("Partner types"), PartnerType.choices)
    verticals = _multi(_("Verticals"), Vertical.choices)
    capabilities = _multi(_("Capabilities"), Capability.choices)

    class Meta:
        model = Partner
        fields = [
            "name",
            "website",
            *PROFILE_FIELDS,
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "products_sold": forms.Textarea(attrs={"rows": 3}),
            "other_vendor_programs": forms.Textarea(attrs={"rows": 2}),
        }

    def validate_unique(self):
        pass  # the service refuses a domain another partner uses, with its own message

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class LogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_("PNG, JPEG or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )


class PartnerInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=PARTNER_ROLE_CHOICES, initial=Role.PARTNER_REP)


class PartnerRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PARTNER_ROLE_CHOICES)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ManagerForm(forms.Form):
    channel_manager = forms.ModelChoiceField(
        label=_("Channel manager"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel_manager"].queryset = channel_manager_candidates()


DIMENSION_LABELS = {
    "region": _("Region"),
    "country": _("Country"),
    "type": _("Partner type"),
    "vertical": _("Vertical"),
    "capability": _("Capability"),
    "tier": _("Tier"),
    "status": _("Status"),
    "program": _("Program"),
}


class CoverageForm(forms.Form):
    rows = forms.ChoiceField(label=_("Rows"), choices=[(key, DIMENSION_LABELS[key]) for key in DIMENSIONS])
    cols = forms.ChoiceField(label=_("Columns"), choices=[(key, DIMENSION_LABELS[key]) for key in DIMENSIONS])

    def clean(self):
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("cols"):
            raise forms.ValidationError(_("Choose two different dimensions."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"


class BusinessPlanForm(forms.ModelForm):
    class Meta:
        model = BusinessPlan
        fields = ["title", "period_start", "period_end", "summary"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        pass  # the service refuses overlapping periods with its own message


class GoalForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"), choices=metric_choices)
    target = forms.DecimalField(label=_("Target"), max_digits=16, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=240)


class QbrNoteForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))
