from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin, run_for_each

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Tenant admins see every API token issued at their portal and can revoke them."""

    view_capability = "team.manage"
    change_capability = "team.manage"
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email", "prefix")
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    # Read-only here: tokens are issued by their owner (portal or POST /api/v1/auth/token).

    def has_revoke_permission(self, request):
        return self._can_change(request)

    @admin.action(description=_("Revoke selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        live = queryset.filter(revoked_at__isnull=True)
        revoked = run_for_each(self, request, live, lambda token: api_token_revoke(token=token, actor=request.user))
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
        self.message_user(request, message % {"count": revoked})
