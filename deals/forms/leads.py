"""Portal forms for leads. The services check everything again: a form gives each field its widget."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.countries import country_choices
from partners.profile import Capability, Region, Vertical

from ..services.leads import REASON_MAX_LENGTH


def _optional(choices):
    return [("", "—"), *choices]


class LeadForm(forms.Form):
    company_name = forms.CharField(label=_("Company"), max_length=200)
    company_domain = forms.CharField(label=_("Company domain"), max_length=253, required=False)
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=_optional(Region.choices), required=False)
    vertical = forms.ChoiceField(label=_("Vertical"), choices=_optional(Vertical.choices), required=False)
    capability = forms.ChoiceField(label=_("Capability needed"), choices=_optional(Capability.choices), required=False)
    need = forms.CharField(label=_("Need"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source_campaign = forms.CharField(label=_("Source campaign"), max_length=160, required=False)
    context_notes = forms.CharField(
        label=_("Context"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What the prospect looked at before asking; shown to the partner."),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _optional(country_choices())


class AssignForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, empty_label="—")

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you reject this lead?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Shown to the vendor's channel managers."),
    )


class FirstActionForm(forms.Form):
    note = forms.CharField(
        label=_("What did you do?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("E.g. “Called the contact, meeting next week.”"),
    )


class ConvertForm(forms.Form):
    """The registration a lead becomes, prefilled from the lead; the partner adds the close date."""

    customer_name = forms.CharField(label=_("Customer"), max_length=200)
    customer_domain = forms.CharField(label=_("Customer domain"), max_length=253, required=False)
    country = forms.ChoiceField(label=_("Country"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    expected_close_date = forms.DateField(
        label=_("Expected close date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    estimated_value = forms.DecimalField(label=_("Estimated value"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _optional(country_choices())
