"""One admin site, two faces: a tenant host shows that vendor's data to its staff;
the platform host shows operators tenants, users and cross-tenant (read-only) views.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from prm.accounts.permissions import is_operator, on_platform_host, request_can
from prm.portal.context_processors import PLATFORM_TITLE


class PlatformOnlyAdminMixin:
    """Wraps every admin that is not tenant-aware (third-party ones included): platform host only."""

    def has_module_permission(self, request):
        return is_operator(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_operator(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_operator(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_operator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request) and super().has_delete_permission(request, obj)


class PrmAdminSite(admin.AdminSite):
    site_header = "PRM"
    site_title = "PRM"
    index_title = _("Administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not getattr(admin_class, "tenant_aware", False):
            admin_class = type(f"PlatformOnly{admin_class.__name__}", (PlatformOnlyAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        if not request.user.is_active:
            return False
        if on_platform_host(request):
            return request.user.is_staff
        return request_can(request, "admin.view")

    def each_context(self, request):
        context = super().each_context(request)
        tenant = getattr(request, "tenant", None)
        title = str(tenant.title) if tenant is not None else str(PLATFORM_TITLE)
        context.update(site_header=title, site_title=title, tenant=tenant)
        return context

    def password_change(self, request, extra_context=None):
        return redirect("account_change_password")

    def login(self, request, extra_context=None):
        """The admin signs in through allauth: same rate limits, MFA and tenant checks as the portal."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return super().login(request, extra_context)
            raise PermissionDenied
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or request.get_full_path())
