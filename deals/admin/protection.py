"""Extension requests in the admin: read-only rows; approve and reject are actions calling the services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin, run_for_each, text_action_page

from ..forms.protection import REASON_MAX
from ..models import ExtensionRequest
from ..services import deal_extension_approve, deal_extension_reject


class RejectReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the partner)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    view_capability = "deals.view_all"
    change_capability = "deals.manage"
    list_display = ("deal", "partner", "status", "requested_by", "created_at", "protected_until", "reason")
    list_filter = ("status",)
    list_select_related = ("deal__partner", "requested_by")
    search_fields = ("deal__customer_name", "reason")
    date_hierarchy = "created_at"
    fields = ("deal", "status", "reason", "requested_by", "created_at", "decided_by", "decided_at", "decision_reason")
    readonly_fields = fields
    actions = ["approve", "reject"]

    # Read-only here: partners ask from the deal page or the API.

    def has_decide_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("partner"))
    def partner(self, obj):
        return obj.deal.partner

    @admin.display(description=_("protected until"))
    def protected_until(self, obj):
        return obj.deal.protected_until

    def _each(self, request, queryset, service, **arguments) -> int:
        return run_for_each(
            self,
            request,
            queryset.select_related("deal"),
            lambda extension: service(deal=extension.deal, actor=request.user, **arguments),
            label=lambda extension: extension.deal.customer_name,
        )

    @admin.action(description=_("Approve selected extension requests"), permissions=["decide"])
    def approve(self, request, queryset):
        done = self._each(request, queryset.filter(status=ExtensionRequest.Status.PENDING), deal_extension_approve)
        if done:
            message = ngettext("%(count)d extension approved.", "%(count)d extensions approved.", done)
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("Reject selected extension requests…"), permissions=["decide"])
    def reject(self, request, queryset):
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            pending = queryset.filter(status=ExtensionRequest.Status.PENDING)
            done = self._each(request, pending, deal_extension_reject, reason=form.cleaned_data["reason"])
            if done:
                message = ngettext("%(count)d extension rejected.", "%(count)d extensions rejected.", done)
                self.message_user(request, message % {"count": done})
            return None
        return text_action_page(
            self,
            request,
            queryset.select_related("deal"),
            action="reject",
            title=_("Reject extension requests"),
            form=form,
            describe=lambda extension: (
                f"{extension.deal.customer_name} — {extension.get_status_display()}: {extension.reason}"
            ),
        )
