"""Claims: read here with their proof files (downloaded through an authorised view) and the reimbursement
line; approved in full or rejected in bulk, approved in part, returned or given more time on the claim's own
page — all through the services."""

from django import forms
from django.contrib import admin
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.files.responses import attachment_response

from ..models import OPEN_CLAIM_STATUSES, ClaimAttachment, MdfClaim, MdfClaimStatus
from ..selectors import attachments_visible_to, is_review_overdue
from ..services import mdf_claim_approve, mdf_claim_extend, mdf_claim_reject, mdf_claim_return
from .common import (
    REASON_MAX_LENGTH,
    DecidedAdmin,
    OverdueFilter,
    PartialApprovalForm,
    ReadOnlyInline,
    bulk_decision,
)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What to change (shown to the partner)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=REASON_MAX_LENGTH,
    )


class ExtendForm(forms.Form):
    due_on = forms.DateField(label=_("Claim by"), help_text=_("YYYY-MM-DD, later than the current date."))
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class AttachmentInline(ReadOnlyInline):
    model = ClaimAttachment
    fields = ("download", "kind", "content_type", "size", "rows", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    verbose_name_plural = _("proof of performance")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse("admin:mdf_mdfclaim_attachment", args=[attachment.claim_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


@admin.register(MdfClaim)
class MdfClaimAdmin(DecidedAdmin):
    object_argument = "claim"
    list_display = (
        "campaign",
        "partner",
        "actual_cost",
        "amount",
        "approved_amount",
        "status",
        "due_on",
        "submitted_at",
        "review_due_at",
        "overdue",
        "paid_at",
    )
    list_filter = ("status", OverdueFilter, "allocation__fund")
    list_select_related = ("partner", "request")
    search_fields = ("request__campaign_code", "request__title", "partner__name")
    date_hierarchy = "created_at"
    fields = (
        "request",
        "partner",
        "claimed_by",
        "actual_cost",
        "amount",
        "approved_amount",
        "notes",
        "status",
        "due_on",
        "submitted_at",
        "review_due_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "reimbursement_line",
        "paid_at",
        "decide",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [AttachmentInline]
    actions = ["approve", "reject"]
    decisions = {
        "approve-part": (
            _("Approve part of the amount"),
            PartialApprovalForm,
            lambda request, obj, data: mdf_claim_approve(
                actor=request.user, claim=obj, amount=data["amount"], reason=data["reason"]
            ),
        ),
        "return": (
            _("Return for changes"),
            ReturnForm,
            lambda request, obj, data: mdf_claim_return(actor=request.user, claim=obj, reason=data["reason"]),
        ),
        "extend": (
            _("Give more time to claim"),
            ExtendForm,
            lambda request, obj, data: mdf_claim_extend(
                actor=request.user, claim=obj, due_on=data["due_on"], reason=data["reason"]
            ),
        ),
    }

    def get_urls(self):
        view = self.admin_site.admin_view(self.attachment_view)
        route = path("<int:claim_id>/attachments/<int:attachment_id>/", view, name="mdf_mdfclaim_attachment")
        return [route, *super().get_urls()]

    def attachment_view(self, request, claim_id: int, attachment_id: int):
        """A proof file, as an attachment (never shown inline), to whoever may see the claim."""
        if not self.has_view_permission(request):
            raise Http404
        attachment = attachments_visible_to(request).filter(pk=attachment_id, claim_id=claim_id).first()
        if attachment is None:
            raise Http404
        return attachment_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )

    @admin.display(description=_("campaign"), ordering="request__campaign_code")
    def campaign(self, obj):
        return f"{obj.request.campaign_code} · {obj.request.title}"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return is_review_overdue(obj)

    @admin.display(description=_("reimbursement"))
    def reimbursement_line(self, obj):
        if obj.reimbursement_id is None:
            return "—"
        url = reverse("admin:incentives_ledgerentry_change", args=[obj.reimbursement_id])
        return format_html('<a href="{}">#{} {}</a>', url, obj.reimbursement_id, obj.reimbursement)

    @admin.display(description=_("decide"))
    def decide(self, obj):
        if obj.status == MdfClaimStatus.SUBMITTED:
            return self.decision_links(obj, exclude={"extend"})
        if obj.status in OPEN_CLAIM_STATUSES:
            return self.decision_links(obj, only={"extend"})
        return "—"

    @admin.action(description=_("Approve selected claims in full"), permissions=["decide"])
    def approve(self, request, queryset):
        return bulk_decision(
            self,
            request,
            queryset,
            service=mdf_claim_approve,
            title=None,
            action="approve",
            done_message=lambda n: ngettext("%(count)d claim approved.", "%(count)d claims approved.", n),
        )

    @admin.action(description=_("Reject selected claims…"), permissions=["decide"])
    def reject(self, request, queryset):
        return bulk_decision(
            self,
            request,
            queryset,
            service=mdf_claim_reject,
            title=_("Reject claims"),
            action="reject",
            done_message=lambda n: ngettext("%(count)d claim rejected.", "%(count)d claims rejected.", n),
        )
