from django.contrib import admin

from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Read-only, for tenant admins (and operators across tenants)."""

    view_capability = "audit.view"
    list_display = ("created_at", "actor_label", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_repr", "object_id")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor_label", "action", "content_type", "object_id", "object_repr", "changes", "context")
    readonly_fields = fields
    list_select_related = ("content_type",)
