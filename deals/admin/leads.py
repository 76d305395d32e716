"""Admin of leads: read-only rows with their assignments (and match factors), "assign to the best
match" as an action, and a CSV import (all or nothing, with a line-by-line report)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.accounts.permissions import on_platform_host
from prm.errors import DomainError
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantInlineMixin, TenantModelAdmin, run_for_each

from ..lead_access import MANAGE, VIEW_ALL
from ..lead_matching import FACTORS
from ..models import Lead, LeadAssignment
from ..services.leads import LEAD_FIELDS, MAX_IMPORT_BYTES, LeadImportRejected, lead_assign_best, leads_import


class OverdueFilter(admin.SimpleListFilter):
    title = _("answer overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status=Lead.Status.ASSIGNED, accept_due_at__lt=timezone.now())
        return queryset


class SlaMissedFilter(admin.SimpleListFilter):
    title = _("SLA missed")
    parameter_name = "sla_missed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(sla_flagged_at__isnull=self.value() == "no")
        return queryset


class LeadAssignmentInline(ReadOnlyAdminMixin, TenantInlineMixin, admin.TabularInline):
    """Every time the lead was offered; the record of what happened is never edited here."""

    model = LeadAssignment
    extra = 0
    can_delete = False
    view_capability = VIEW_ALL
    change_capability = MANAGE
    fields = ("partner", "method", "factor_breakdown", "assigned_by", "assigned_at", "outcome", "decided_at", "reason")
    readonly_fields = fields
    ordering = ("assigned_at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "assigned_by")

    @admin.display(description=_("match factors"))
    def factor_breakdown(self, obj):
        if not obj.factors:
            return "—"
        parts = [f"{factor} {obj.factors[factor]['points']:+d}" for factor in FACTORS if factor in obj.factors]
        return f"{', '.join(parts)} = {obj.factors.get('total')}"


class LeadImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, first line naming the columns (company_name required): %(columns)s.")
        % {"columns": ", ".join(LEAD_FIELDS)},
    )


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Leads are created in the portal, by API or by import; their state changes through the services."""

    view_capability = VIEW_ALL
    change_capability = MANAGE
    change_list_template = "admin/deals/lead/change_list.html"
    list_display = (
        "company_name",
        "status",
        "partner",
        "country",
        "vertical",
        "source_campaign",
        "accept_due_at",
        "sla_flagged_at",
        "created_at",
    )
    list_filter = ("status", OverdueFilter, SlaMissedFilter, "region", "vertical", "country")
    list_select_related = ("partner",)
    search_fields = ("company_name", "company_domain", "contact_name", "contact_email", "source_campaign")
    date_hierarchy = "created_at"
    fields = (
        *LEAD_FIELDS,
        "status",
        "partner",
        "assigned_at",
        "accept_due_at",
        "accepted_at",
        "first_action_at",
        "sla_flagged_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [LeadAssignmentInline]
    actions = ["assign_best"]

    def has_assign_permission(self, request):
        return self._can_change(request)

    @admin.action(description=_("Assign selected leads to their best-matching partner"), permissions=["assign"])
    def assign_best(self, request, queryset):
        done = run_for_each(
            self,
            request,
            queryset,
            lambda lead: lead_assign_best(lead=lead, actor=request.user),
            label=lambda lead: lead.company_name,
        )
        if done:
            self.message_user(
                request, ngettext("%(count)d lead assigned.", "%(count)d leads assigned.", done) % {"count": done}
            )

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self._can_change(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_view)
        return [path("import/", import_view, name="deals_lead_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a CSV of leads: all rows are checked first; any problem imports nothing and lists each one."""
        if on_platform_host(request) or not self._can_change(request):
            raise PermissionDenied
        form = LeadImportForm(request.POST or None, request.FILES or None)
        problems = []
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    # One byte over the limit is enough for the service to refuse the size.
                    created = leads_import(actor=request.user, content=upload.read(MAX_IMPORT_BYTES + 1))
                except LeadImportRejected as error:
                    problems = error.rows
                    form.add_error(None, error.message)
                except DomainError as error:
                    form.add_error("file", error.message)
                else:
                    message = ngettext("%(count)d lead imported.", "%(count)d leads imported.", len(created))
                    self.message_user(request, message % {"count": len(created)})
                    return redirect(reverse("admin:deals_lead_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import leads"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/deals/lead/import.html", context, status=status)
