"""Pre-approval requests: read here, decided through the services — approve in full, reject or return in bulk
(with the reason), approve part of the amount on the request's own page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import MdfRequest, MdfRequestStatus
from ..selectors import is_review_overdue
from ..services import mdf_request_approve, mdf_request_reject, mdf_request_return
from .common import DecidedAdmin, OverdueFilter, PartialApprovalForm, bulk_decision


@admin.register(MdfRequest)
class MdfRequestAdmin(DecidedAdmin):
    object_argument = "request"
    list_display = (
        "campaign_code",
        "title",
        "partner",
        "fund",
        "activity_type",
        "requested_amount",
        "approved_amount",
        "status",
        "submitted_at",
        "review_due_at",
        "overdue",
    )
    list_filter = ("status", OverdueFilter, "activity_type", "allocation__fund")
    list_select_related = ("partner", "allocation__fund", "activity_type")
    search_fields = ("campaign_code", "title", "partner__name")
    date_hierarchy = "created_at"
    fields = (
        "campaign_code",
        "title",
        "partner",
        "requested_by",
        "allocation",
        "activity_type",
        "description",
        "starts_on",
        "ends_on",
        "planned_cost",
        "requested_amount",
        "approved_amount",
        "expected_leads",
        "status",
        "submitted_at",
        "review_due_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "decide",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ["approve", "reject", "return_for_changes"]
    decisions = {
        "approve-part": (
            _("Approve part of the amount"),
            PartialApprovalForm,
            lambda request, obj, data: mdf_request_approve(
                actor=request.user, request=obj, amount=data["amount"], reason=data["reason"]
            ),
        ),
    }

    @admin.display(description=_("fund"), ordering="allocation__fund__name")
    def fund(self, obj):
        return obj.allocation.fund

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return is_review_overdue(obj)

    @admin.display(description=_("decide"))
    def decide(self, obj):
        return self.decision_links(obj) if obj.status == MdfRequestStatus.SUBMITTED else "—"

    @admin.action(description=_("Approve selected requests in full"), permissions=["decide"])
    def approve(self, request, queryset):
        return bulk_decision(
            self,
            request,
            queryset,
            service=mdf_request_approve,
            title=None,
            action="approve",
            done_message=lambda n: ngettext("%(count)d request approved.", "%(count)d requests approved.", n),
        )

    @admin.action(description=_("Reject selected requests…"), permissions=["decide"])
    def reject(self, request, queryset):
        return bulk_decision(
            self,
            request,
            queryset,
            service=mdf_request_reject,
            title=_("Reject requests"),
            action="reject",
            done_message=lambda n: ngettext("%(count)d request rejected.", "%(count)d requests rejected.", n),
        )

    @admin.action(description=_("Return selected requests for changes…"), permissions=["decide"])
    def return_for_changes(self, request, queryset):
        return bulk_decision(
            self,
            request,
            queryset,
            service=mdf_request_return,
            title=_("Return requests for changes"),
            action="return_for_changes",
            done_message=lambda n: ngettext("%(count)d request returned.", "%(count)d requests returned.", n),
        )
