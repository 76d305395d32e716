from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.utils import translation

from .context import all_tenants, tenant_context
from .selectors import UnknownHost, host_resolve

# Answered on any host, so load balancers can probe by IP.
HOST_INDEPENDENT_PATHS = frozenset({"/healthz"})


class TenantMiddleware:
    """Host → tenant, then run the rest of the request inside that tenant's context.

    `<slug>.<PRM_BASE_DOMAIN>` or a registered custom domain selects a tenant;
    the bare base domain is the platform host (operator admin only, its own
    URLconf); anything else is a plain 404 that touches no tenant data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.is_platform_host = False
        if request.path_info in HOST_INDEPENDENT_PATHS:
            request.urlconf = settings.PRM_PLATFORM_URLCONF
            return self.get_response(request)
        try:
            tenant = host_resolve(host=request.get_host())
        except UnknownHost:
            with translation.override(settings.LANGUAGE_CODE):
                return HttpResponseNotFound(render_to_string("tenancy/unknown_host.html"))
        if tenant is None:
            request.is_platform_host = True
            request.urlconf = settings.PRM_PLATFORM_URLCONF
            with all_tenants():
                return self.get_response(request)
        if not tenant.is_active:
            with translation.override(tenant.default_language):
                return HttpResponse(render_to_string("tenancy/suspended.html", {"tenant": tenant}), status=403)
        request.tenant = tenant
        with tenant_context(tenant):
            return self.get_response(request)
