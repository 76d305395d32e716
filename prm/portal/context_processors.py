from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from prm.accounts.permissions import request_membership

from .branding import readable_text_on
from .navigation import nav_for

PLATFORM_PRIMARY, PLATFORM_ACCENT = "#334155", "#0ea5e9"
PLATFORM_TITLE = _("PRM platform")


def portal(request) -> dict:
    tenant = getattr(request, "tenant", None)
    membership = request_membership(request)
    primary = tenant.primary_color if tenant else PLATFORM_PRIMARY
    accent = tenant.accent_color if tenant else PLATFORM_ACCENT
    logo_url = None
    if tenant is not None and tenant.logo:
        logo_url = f"{reverse('portal:brand-logo')}?v={int(tenant.updated_at.timestamp())}"
    return {
        "portal": {
            "tenant": tenant,
            "title": tenant.title if tenant else PLATFORM_TITLE,
            "primary_color": primary,
            "primary_text": readable_text_on(primary),
            "accent_color": accent,
            "accent_text": readable_text_on(accent),
            "logo_url": logo_url,
            "support_email": tenant.support_email if tenant else "",
            "membership": membership,
            # Lazy: HTMX partials and emails rendered with a request never show the menus (nor hit Redis for badges).
            "nav": SimpleLazyObject(lambda: nav_for(request)),
            "settings_nav": SimpleLazyObject(lambda: nav_for(request, "settings")),
            "languages": settings.LANGUAGES,
        }
    }
