"""Forms of the claim pages: field shapes only; the services check the figures and the files."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProofKind
from .requests import MONEY, RequestApproveForm


class ClaimForm(forms.Form):
    actual_cost = forms.DecimalField(label=_("Actual cost"), min_value=Decimal(0), **MONEY)
    amount = forms.DecimalField(
        label=_("Amount claimed"),
        min_value=Decimal("0.01"),
        help_text=_("At most your tier's share of the actual cost, up to the approved amount."),
        **MONEY,
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of proof"), choices=ProofKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Invoices: PDF, PNG or JPEG; photos: PNG or JPEG; attendee and lead lists: CSV; at most 10 MB."),
    )


class ClaimApproveForm(RequestApproveForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _("Leave empty to approve the claimed amount; a lower amount needs a reason.")


class ExtendForm(forms.Form):
    due_on = forms.DateField(label=_("Claim by"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
