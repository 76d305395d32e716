"""Forms of the deal pages: field shapes only; the services validate and decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Deal, Product


class DealForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = [
            "customer_name",
            "customer_domain",
            "country",
            "contact_name",
            "contact_email",
            "contact_phone",
            "expected_close_date",
            "estimated_value",
            "currency",
            "notes",
        ]
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "customer_domain": _("The customer's web domain, e.g. example.com: the surest match."),
            "country": _("Two-letter ISO code, e.g. NL."),
        }

    def _post_clean(self):
        pass  # the service normalises and validates the registration

    def registration(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label="—"
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products if products is not None else Product.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("product") and not data.get("quantity"):
            self.add_error("quantity", _("Enter a quantity of at least 1."))
        if data.get("quantity") and not data.get("product"):
            self.add_error("product", _("Choose a product."))
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, products=None, **kwargs):
        self.products = products if products is not None else Product.objects.filter(is_active=True)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"products": self.products}

    def lines(self) -> list[dict]:
        """The filled-in rows as the services take them: [{"product": Product, "quantity": n}, …]."""
        return [
            {"product": form.cleaned_data["product"], "quantity": form.cleaned_data["quantity"]}
            for form in self.forms
            if form.cleaned_data.get("product")
        ]


def line_formset(data=None, *, products, deal=None, extra=3):
    """Rows for the deal's current lines plus `extra` blank ones; products to choose from."""
    initial = [{"product": line.product_id, "quantity": line.quantity} for line in deal.lines.all()] if deal else []
    formset_class = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=extra, max_num=50, validate_max=True)
    return formset_class(data, initial=initial, prefix="lines", products=products)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the partner"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SpecialPricingForm(forms.Form):
    percent = forms.DecimalField(
        label=_("Special discount %"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Applied on top of the registration discount. Leave empty to remove it."),
    )


class CloseWonForm(forms.Form):
    amount = forms.DecimalField(label=_("Won amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
