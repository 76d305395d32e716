from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from prm.accounts.permissions import request_membership
from prm.accounts.roles import Role
from prm.portal.views import is_htmx

from .permissions import request_partner
from .selectors.agreements import agreement_pending_for

# Paths a partner admin can use while an agreement waits: the way out (sign-out, password, 2FA),
# the language switch, static files and branding, and the API (which reports `agreement_required`).
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/api/", "/brand/", "/healthz", settings.STATIC_URL)


class AgreementGateMiddleware:
    """A partner admin whose program has a current agreement version they have not accepted sees the
    acceptance page before any other portal page. Reps and vendor staff are never asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = request_membership(request)
        asked = membership is not None and membership.role == Role.PARTNER_ADMIN
        if asked and not request.path_info.startswith(EXEMPT_PREFIXES):
            accept_path = reverse("partners:agreement")
            if request.path_info != accept_path and agreement_pending_for(
                membership=membership, partner=request_partner(request)
            ):
                target = f"{accept_path}?{urlencode({'next': request.get_full_path()})}"
                if is_htmx(request):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.get_response(request)
