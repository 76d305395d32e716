from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin, run_for_each, text_action_page

from ..models import PartnerApplication
from ..selectors.applications import DUPLICATE
from ..services.applications import (
    MESSAGE_MAX_LENGTH,
    application_approve,
    application_reject,
    application_request_info,
)


class DuplicateFilter(admin.SimpleListFilter):
    title = _("duplicate")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(DUPLICATE)
        if self.value() == "no":
            return queryset.exclude(DUPLICATE)
        return queryset


class DecisionTextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), max_length=MESSAGE_MAX_LENGTH)

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Applications are read-only here; the decisions are actions that call the services."""

    view_capability = "partners.view_all"
    change_capability = "partners.manage"
    list_display = ("company_name", "program", "status", "duplicate_of", "country", "contact_email", "created_at")
    list_filter = ("status", DuplicateFilter, "program")
    list_select_related = ("program", "duplicate_of_partner", "duplicate_of_application")
    search_fields = ("company_name", "domain", "contact_name", "contact_email")
    date_hierarchy = "created_at"
    fields = (
        "program",
        "status",
        "company_name",
        "website",
        "domain",
        "contact_name",
        "contact_email",
        "country",
        "types",
        "regions",
        "verticals",
        "expected_annual_revenue",
        "answers",
        "duplicate_of_partner",
        "duplicate_of_application",
        "info_request",
        "decision_reason",
        "decided_by",
        "decided_at",
        "partner",
        "submitted_from_ip",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ["approve", "reject", "request_info"]

    # Read-only here: applications come from the public form or the API.

    def has_decide_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("duplicate of"))
    def duplicate_of(self, obj):
        if obj.duplicate_of_partner_id:
            return format_html("{} {}", _("partner"), obj.duplicate_of_partner)
        if obj.duplicate_of_application_id:
            url = reverse("admin:partners_partnerapplication_change", args=[obj.duplicate_of_application_id])
            return format_html('<a href="{}">{} {}</a>', url, _("application"), obj.duplicate_of_application)
        return "—"

    def _each(self, request, queryset, service, **arguments) -> int:
        return run_for_each(
            self,
            request,
            queryset,
            lambda application: service(application=application, actor=request.user, **arguments),
            label=lambda application: application.company_name,
        )

    @admin.action(description=_("Approve selected applications"), permissions=["decide"])
    def approve(self, request, queryset):
        done = self._each(request, queryset, application_approve)
        if done:
            message = ngettext(
                "%(count)d application approved; its partner admin has been invited.",
                "%(count)d applications approved; their partner admins have been invited.",
                done,
            )
            self.message_user(request, message % {"count": done})

    def _decide_with_text(self, request, queryset, *, action, service, argument, title, label, done_message):
        """An intermediate page asks for the text (reason or message), then the service runs per row."""
        form = DecisionTextForm(request.POST if "apply" in request.POST else None, label=label)
        if form.is_bound and form.is_valid():
            done = self._each(request, queryset, service, **{argument: form.cleaned_data["text"]})
            if done:
                self.message_user(request, ngettext(*done_message, done) % {"count": done})
            return None
        return text_action_page(
            self,
            request,
            queryset,
            action=action,
            title=title,
            form=form,
            describe=lambda app: f"{app.company_name} — {app.contact_email} ({app.get_status_display()})",
        )

    @admin.action(description=_("Reject selected applications…"), permissions=["decide"])
    def reject(self, request, queryset):
        return self._decide_with_text(
            request,
            queryset,
            action="reject",
            service=application_reject,
            argument="reason",
            title=_("Reject applications"),
            label=_("Reason (emailed to each applicant)"),
            done_message=("%(count)d application rejected.", "%(count)d applications rejected."),
        )

    @admin.action(description=_("Ask selected applicants for more information…"), permissions=["decide"])
    def request_info(self, request, queryset):
        return self._decide_with_text(
            request,
            queryset,
            action="request_info",
            service=application_request_info,
            argument="message",
            title=_("Ask for more information"),
            label=_("Message (emailed to each applicant)"),
            done_message=("%(count)d applicant asked for information.", "%(count)d applicants asked for information."),
        )
