"""Forms of the tier pages (portal) and the threshold simulation (admin)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Tier


class TierPinForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.none())
    until = forms.DateField(label=_("Pinned until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=240)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = Tier.objects.filter(program_id=partner.program_id).order_by("rank")
        self.fields["tier"].initial = partner.tier_id


class ThresholdForm(forms.Form):
    """One number field per criterion of a program (`criterion-<id>`), prefilled with its threshold."""

    def __init__(self, *args, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for tier in tiers:
            for criterion in tier.criteria.all():
                name = f"criterion-{criterion.pk}"
                self.fields[name] = forms.DecimalField(
                    label=f"{tier.name}: {criterion.metric}",
                    min_value=Decimal(0),
                    max_digits=16,
                    decimal_places=2,
                    initial=criterion.threshold,
                )
                self.rows.append((tier, criterion, name))

    def bound_rows(self) -> list:
        return [(tier, criterion, self[name]) for tier, criterion, name in self.rows]

    def thresholds(self) -> dict[int, Decimal]:
        return {criterion.pk: self.cleaned_data[name] for _tier, criterion, name in self.rows}
