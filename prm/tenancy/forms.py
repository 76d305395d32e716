from django import forms
from django.urls import NoReverseMatch, reverse


class LogoInput(forms.ClearableFileInput):
    """Shows the current logo through the branding view: uploads are never linked from MEDIA_ROOT."""

    template_name = "tenancy/widgets/logo_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"accept": "image/png,image/jpeg,image/webp", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            context["widget"]["preview_url"] = reverse("portal:brand-logo")
        except NoReverseMatch:  # the platform host does not serve tenant branding
            context["widget"]["preview_url"] = None
        return context
