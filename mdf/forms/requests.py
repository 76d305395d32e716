"""Forms of the request pages: field shapes and the partner's own choices; the services validate and decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ActivityType, Allocation, MdfRequest
from ..rules import Balance

MONEY = {"max_digits": 14, "decimal_places": 2}


class AllocationChoice(forms.ModelChoiceField):
    def __init__(self, *args, balances: dict[int, Balance], **kwargs):
        super().__init__(*args, **kwargs)
        self.balances = balances

    def label_from_instance(self, obj: Allocation) -> str:
        balance = self.balances.get(obj.pk)
        available = balance.available if balance is not None else obj.amount
        return gettext("%(fund)s · %(available)s %(currency)s available") % {
            "fund": obj.fund.name,
            "available": available,
            "currency": obj.fund.currency,
        }


class RequestForm(forms.ModelForm):
    # Declared here: the choices are the partner's own allocations and the active activity types, set per form.
    allocation = AllocationChoice(
        queryset=Allocation.objects.none(), balances={}, label=_("Allocation"), empty_label=None
    )
    activity_type = forms.ModelChoiceField(
        queryset=ActivityType.objects.none(), label=_("Activity type"), empty_label=None
    )

    class Meta:
        model = MdfRequest
        fields = [
            "allocation",
            "activity_type",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "planned_cost",
            "requested_amount",
            "expected_leads",
            "campaign_code",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "campaign_code": _(
                "Your own code for the campaign (unique): the leads and deals it brings are tied to it."
            ),
            "requested_amount": _("At most your tier's share of the planned cost and what the allocation has left."),
        }

    def __init__(self, *args, allocations, balances: dict[int, Balance], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations
        self.fields["allocation"].balances = balances
        self.fields["activity_type"].queryset = ActivityType.objects.filter(is_active=True)

    def _post_clean(self):
        pass  # the service validates the request

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RequestApproveForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Approved amount"),
        required=False,
        min_value=Decimal("0.01"),
        help_text=_("Leave empty to approve the requested amount; a lower amount needs a reason."),
        **MONEY,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
