from django import forms
from django.utils.translation import gettext_lazy as _

from prm.accounts.roles import VENDOR_ROLE_CHOICES
from prm.tenancy.forms import LogoInput
from prm.tenancy.models import Tenant
from prm.tenancy.services import SETTINGS_FIELDS
from prm.tenancy.validators import currency_choices, timezone_choices, validate_logo_file


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=VENDOR_ROLE_CHOICES, initial="vendor_staff")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=VENDOR_ROLE_CHOICES)


class PortalSettingsForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = SETTINGS_FIELDS
        widgets = {
            "primary_color": forms.TextInput(attrs={"type": "color"}),
            "accent_color": forms.TextInput(attrs={"type": "color"}),
            "logo": LogoInput(),
            "timezone": forms.Select(choices=timezone_choices()),
            "currency": forms.Select(choices=currency_choices()),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            validate_logo_file(logo)
        return logo

    def changes(self) -> dict:
        """The changed fields as service arguments (a cleared logo cleans to False, which removes it)."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


TOKEN_EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("1 year")), ("", _("Never"))]


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “CRM sync”."))
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"), choices=TOKEN_EXPIRY_CHOICES, coerce=int, empty_value=None, required=False, initial="90"
    )
