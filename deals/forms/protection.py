"""Forms of the protection panel (extension request and decisions) and the amendment page."""

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX = 2000


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the deal need more time?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtensionApproveForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=REASON_MAX, required=False)


class ExtensionRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class DealAmendForm(forms.Form):
    """The amendable fields, prefilled from the deal; only what changes is recorded."""

    estimated_value = forms.DecimalField(label=_("Estimated value"), max_digits=14, decimal_places=2)
    expected_close_date = forms.DateField(
        label=_("Expected close date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_deal(cls, deal, data=None):
        initial = {name: getattr(deal, name) for name in cls.base_fields}
        return cls(data, initial=initial)
