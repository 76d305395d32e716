from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from prm.accounts.permissions import is_operator, on_platform_host, request_can
from prm.audit.services import audit_record
from prm.errors import DomainError

from . import services
from .forms import LogoInput
from .models import Tenant, TenantDomain
from .validators import validate_logo_file


class TenantAwareAdmin(admin.ModelAdmin):
    """Shown on tenant hosts (PrmAdminSite makes every other admin platform-only).

    Changes are recorded in the tenant's audit trail, not in Django's global
    LogEntry table, which would show one tenant's objects to a user of another.
    """

    tenant_aware = True

    def log_addition(self, request, obj, message):
        pass

    def log_change(self, request, obj, message):
        pass

    def log_deletions(self, request, queryset):
        pass


def member_can(request, capability: str) -> bool:
    """A tenant member whose role has `capability`, on their tenant's host."""
    return not on_platform_host(request) and request_can(request, capability)


def operator_or_member_can(request, capability: str) -> bool:
    """Operators (on the platform host) or a tenant member with `capability`."""
    return is_operator(request) or member_can(request, capability)


class ReadOnlyAdminMixin:
    """For records written elsewhere (by the services, the portal or the API): the admin shows them, never edits.
    List it first among the bases so it wins over the capability checks of the tenant admins."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TenantInlineMixin:
    """Access by role capability (`view_capability`, `change_capability`), for tenant admins and inlines:
    tenant members hold no Django model permissions, so a plain admin would be hidden from them.
    Operators may look, never change."""

    view_capability = "admin.view"
    change_capability = "admin.change"

    def has_view_permission(self, request, obj=None):
        return operator_or_member_can(request, self.view_capability)

    def _can_change(self, request) -> bool:
        return member_can(request, self.change_capability)

    def has_add_permission(self, request, *args):
        return self._can_change(request)

    def has_change_permission(self, request, obj=None):
        return self._can_change(request)

    def has_delete_permission(self, request, obj=None):
        return self._can_change(request)


class TenantModelAdmin(TenantInlineMixin, TenantAwareAdmin):
    """Base admin for every tenant-owned model.

    On a tenant host: the default manager already limits rows and FK choices
    to the tenant, new rows get the tenant, and access follows the role's
    capabilities (`view_capability`, `change_capability`). On the platform host
    operators get a read-only, cross-tenant view with a tenant column.
    Writes are audited; subclasses with a service override `save_model`.
    """

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    # --- cross-tenant view for operators ----------------------------------------
    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return ("tenant", *columns) if on_platform_host(request) else columns

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return ("tenant", *filters) if on_platform_host(request) else filters

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related("tenant") if on_platform_host(request) else queryset

    # --- choices: users are limited to the tenant's members ----------------------
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from django.contrib.auth import get_user_model

        if db_field.related_model is get_user_model() and "queryset" not in kwargs:
            from prm.accounts.models import Membership

            kwargs["queryset"] = (
                get_user_model().objects.filter(pk__in=Membership.objects.values("user_id")).order_by("email")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- audit instead of the global admin LogEntry table -------------------------
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            name: [str(form.initial.get(name)) if change else None, str(form.cleaned_data.get(name))]
            for name in form.changed_data
        }
        audit_record(
            action=f"{obj._meta.model_name}.{'change' if change else 'add'}",
            actor=request.user,
            obj=obj,
            changes=changes,
        )

    def delete_model(self, request, obj):
        audit_record(action=f"{obj._meta.model_name}.delete", actor=request.user, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def report_domain_error(modeladmin, request, error: DomainError) -> None:
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.fields.items())
    modeladmin.message_user(request, f"{error.message} {details}".strip(), messages.ERROR)


def run_for_each(modeladmin, request, objects, call, *, label=str, done_message=None, level=messages.INFO) -> int:
    """Bulk admin actions: `call(obj)` for each object; a refusal is reported under the object's label
    and the others still run. With `done_message` (n → an ngettext text with `%(count)d`), how many succeeded
    is reported too, when any did. Returns how many succeeded."""
    done = 0
    for obj in objects:
        try:
            call(obj)
        except DomainError as error:
            report_domain_error(modeladmin, request, DomainError(f"{label(obj)}: {error.message}", fields=error.fields))
        else:
            done += 1
    if done and done_message is not None:
        modeladmin.message_user(request, done_message(done) % {"count": done}, level)
    return done


def text_action_page(modeladmin, request, queryset, *, action: str, title: str, form, describe=str):
    """The intermediate page of a bulk action that needs a text first (a reason, a message)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "objects": queryset,
        "items": [describe(obj) for obj in queryset],
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/text_action_form.html", context)


class TenantDomainFormSet(BaseInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "domains"  # the tenant FK has no reverse accessor to derive one from


class TenantDomainInline(admin.TabularInline):
    model = TenantDomain
    formset = TenantDomainFormSet
    fields = ("hostname", "is_primary")
    extra = 0


class TenantForm(forms.ModelForm):
    admin_email = forms.EmailField(
        label=_("First tenant admin"),
        required=False,
        help_text=_("Invited by email when the tenant is created."),
    )

    class Meta:
        model = Tenant
        fields = ["slug", "name", "status", *services.SETTINGS_FIELDS]
        widgets = {"logo": LogoInput()}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            validate_logo_file(logo)
        return logo


@admin.register(Tenant)
class TenantAdmin(TenantAwareAdmin):
    """Operators create and manage tenants; a tenant admin edits only their own portal's settings."""

    form = TenantForm
    list_display = ("name", "slug", "status", "currency", "timezone", "default_language", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "slug")
    inlines = [TenantDomainInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if on_platform_host(request):
            return queryset
        return queryset.filter(pk=request.tenant.pk)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return operator_or_member_can(request, "admin.view")

    def has_change_permission(self, request, obj=None):
        return operator_or_member_can(request, "settings.manage")

    def has_add_permission(self, request):
        return is_operator(request)

    def has_delete_permission(self, request, obj=None):
        return False  # tenants are suspended, never deleted: their audit trail stays

    def get_inlines(self, request, obj):
        return self.inlines if is_operator(request) and obj is not None else []

    def get_fields(self, request, obj=None):
        settings_fields = list(services.SETTINGS_FIELDS)
        if not is_operator(request):
            return settings_fields
        if obj is None:
            return ["slug", "name", "admin_email", *settings_fields]
        return ["slug", "name", "status", *settings_fields]

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in services.SETTINGS_FIELDS}
        try:
            if change:
                platform_values = {n: form.cleaned_data[n] for n in form.changed_data if n in services.PLATFORM_FIELDS}
                updated = services.tenant_update(
                    tenant=obj, actor=request.user, platform=is_operator(request), **data, **platform_values
                )
                form.instance = updated
            else:
                form.instance = services.tenant_create(
                    actor=request.user,
                    slug=form.cleaned_data["slug"],
                    name=form.cleaned_data["name"],
                    admin_email=form.cleaned_data.get("admin_email") or "",
                    **data,
                )
                obj.pk = form.instance.pk
        except DomainError as error:
            report_domain_error(self, request, error)

    def save_formset(self, request, form, formset, change):
        tenant = form.instance
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for domain_form in formset.forms:
            if not domain_form.has_changed() and domain_form.instance.pk:
                continue
            data = domain_form.cleaned_data
            if not data:
                continue
            try:
                if data.get("DELETE") and domain_form.instance.pk:
                    services.tenant_domain_remove(domain=domain_form.instance, actor=request.user)
                elif not domain_form.instance.pk:
                    services.tenant_domain_add(
                        tenant=tenant, actor=request.user, hostname=data["hostname"], is_primary=data["is_primary"]
                    )
                else:
                    report_domain_error(
                        self, request, DomainError(_("Remove the domain and add it again to change it."))
                    )
            except DomainError as error:
                report_domain_error(self, request, error)
