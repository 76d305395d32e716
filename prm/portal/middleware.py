from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class TenantLocaleMiddleware:
    """Language: the visitor's explicit choice (language cookie), else the tenant's default.

    Replaces Django's LocaleMiddleware, whose Accept-Language step would make
    the vendor's chosen default language almost never apply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        tenant = getattr(request, "tenant", None)
        if chosen not in SUPPORTED:
            chosen = tenant.default_language if tenant is not None else settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", chosen)
        return response
