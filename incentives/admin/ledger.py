"""The ledger in the admin: lines read-only (claw back with a reason), payouts prepared from pending lines,
approved, marked paid with a reference, cancelled and exported, all through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin, report_domain_error, run_for_each, text_action_page

from ..models import LedgerEntry, Payout
from ..selectors.ledger import explain_entry, with_entry_status, with_payout_facts
from ..services.ledger import (
    PAYOUT_LINE_CHOICES,
    ledger_clawback,
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payouts_csv,
    payouts_prepare,
)

VIEW, MANAGE = "incentives.view_all", "incentives.manage"


class StatusFilter(admin.SimpleListFilter):
    title = _("payout status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("approved", _("Approved")), ("paid", _("Paid"))]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class ClawbackForm(forms.Form):
    text = forms.CharField(
        label=_("Reason (shown on the recipient's statement)"), widget=forms.Textarea(attrs={"rows": 4, "cols": 80})
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("Empty: all that is left of each line."),
    )


class ReadOnlyLedgerMixin(ReadOnlyAdminMixin):
    def has_manage_permission(self, request):
        return self._can_change(request)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyLedgerMixin, TenantModelAdmin):
    """Append-only: lines are read here; a correction is a clawback (or an adjustment) line."""

    view_capability = VIEW
    change_capability = MANAGE
    list_display = (
        "occurred_on",
        "recipient",
        "partner",
        "program",
        "period",
        "entry_type",
        "amount",
        "unit_label",
        "status",
        "source",
    )
    list_filter = (StatusFilter, "entry_type", "unit", "currency", "program")
    list_select_related = ("program", "partner", "recipient_partner", "recipient_user")
    search_fields = ("source", "reason", "partner__name", "recipient_partner__name", "recipient_user__email")
    date_hierarchy = "occurred_on"
    fields = (
        "recipient",
        "partner",
        "program",
        "rule_version",
        "run",
        "period",
        "entry_type",
        "amount",
        "unit",
        "currency",
        "status",
        "source",
        "explained",
        "explanation",
        "reason",
        "reverses",
        "idempotency_key",
        "occurred_on",
        "created_at",
        "created_by",
    )
    readonly_fields = fields
    actions = ["claw_back"]

    def get_queryset(self, request):
        return with_entry_status(super().get_queryset(request))

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.recipient_partner if obj.recipient_partner_id else obj.recipient_user

    @admin.display(description=_("unit"))
    def unit_label(self, obj):
        return obj.currency or _("points")

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.status

    @admin.display(description=_("explanation"))
    def explained(self, obj):
        return explain_entry(obj)

    @admin.action(description=_("Claw back selected lines…"), permissions=["manage"])
    def claw_back(self, request, queryset):
        form = ClawbackForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason, amount = form.cleaned_data["text"], form.cleaned_data["amount"]
            done = run_for_each(
                self,
                request,
                queryset.order_by("pk"),
                lambda entry: ledger_clawback(actor=request.user, entry=entry, reason=reason, amount=amount),
                label=lambda entry: f"#{entry.pk} {entry}",
            )
            if done:
                message = ngettext("%(count)d line clawed back.", "%(count)d lines clawed back.", done)
                self.message_user(request, message % {"count": done})
            return None
        return text_action_page(
            self,
            request,
            queryset.select_related("recipient_partner", "recipient_user"),
            action="claw_back",
            title=_("Claw back lines"),
            form=form,
            describe=lambda entry: f"#{entry.pk} {self.recipient(entry)}: {entry} ({entry.source})",
        )


class MarkPaidForm(forms.Form):
    text = forms.CharField(label=_("Payment reference"), max_length=120)
    paid_on = forms.DateField(label=_("Paid on"), required=False, help_text=_("YYYY-MM-DD; empty: now."))


class PrepareForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    up_to = forms.DateField(label=_("Lines up to"), required=False, help_text=_("YYYY-MM-DD; empty: all."))
    lines = forms.TypedChoiceField(
        label=_("Lines"), choices=PAYOUT_LINE_CHOICES, initial="all", required=False, empty_value="all"
    )


@admin.register(Payout)
class PayoutAdmin(ReadOnlyLedgerMixin, TenantModelAdmin):
    view_capability = VIEW
    change_capability = MANAGE
    change_list_template = "admin/incentives/payout/change_list.html"
    list_display = (
        "id",
        "recipient",
        "partner_name",
        "amount",
        "currency",
        "status",
        "line_count",
        "prepared_at",
        "approved_at",
        "paid_at",
        "external_reference",
    )
    list_filter = ("status", "currency")
    search_fields = ("recipient_partner__name", "recipient_user__email", "external_reference")
    fields = (
        "recipient",
        "currency",
        "amount",
        "status",
        "prepared_by",
        "prepared_at",
        "approved_by",
        "approved_at",
        "paid_by",
        "paid_at",
        "external_reference",
        "note",
    )
    readonly_fields = fields
    actions = ["approve", "mark_paid", "cancel", "export_csv"]

    def get_queryset(self, request):
        return with_payout_facts(super().get_queryset(request))

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.recipient_partner if obj.recipient_partner_id else obj.recipient_user

    @admin.display(description=_("partner"))
    def partner_name(self, obj):
        return obj.partner_name

    @admin.display(description=_("lines"))
    def line_count(self, obj):
        return obj.line_count or 0

    def get_urls(self):
        view = self.admin_site.admin_view(self.prepare_view)
        return [path("prepare/", view, name="incentives_payout_prepare"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_prepare": self.has_manage_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def prepare_view(self, request):
        """Prepare proposed payouts from every pending line of a currency (optionally up to a day)."""
        if not self.has_manage_permission(request):
            raise PermissionDenied
        form = PrepareForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                prepared = payouts_prepare(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                report_domain_error(self, request, error)
            else:
                message = ngettext("%(count)d payout proposed.", "%(count)d payouts proposed.", len(prepared))
                self.message_user(request, message % {"count": len(prepared)})
                return redirect("admin:incentives_payout_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Prepare payouts"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/incentives/payout/prepare.html", context)

    def _each(self, request, queryset, call) -> int:
        return run_for_each(self, request, queryset.order_by("pk"), call, label=lambda p: f"#{p.pk} {p}")

    @admin.action(description=_("Approve selected payouts"), permissions=["manage"])
    def approve(self, request, queryset):
        done = self._each(request, queryset, lambda p: payout_approve(actor=request.user, payout=p))
        if done:
            self.message_user(
                request, ngettext("%(count)d payout approved.", "%(count)d payouts approved.", done) % {"count": done}
            )

    @admin.action(description=_("Cancel selected proposed payouts"), permissions=["manage"])
    def cancel(self, request, queryset):
        done = self._each(request, queryset, lambda p: payout_cancel(actor=request.user, payout=p))
        if done:
            self.message_user(
                request, ngettext("%(count)d payout cancelled.", "%(count)d payouts cancelled.", done) % {"count": done}
            )

    @admin.action(description=_("Mark selected payouts paid…"), permissions=["manage"])
    def mark_paid(self, request, queryset):
        form = MarkPaidForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reference, paid_on = form.cleaned_data["text"], form.cleaned_data["paid_on"]
            done = self._each(
                request,
                queryset,
                lambda p: payout_mark_paid(actor=request.user, payout=p, external_reference=reference, paid_on=paid_on),
            )
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d payout marked paid.", "%(count)d payouts marked paid.", done) % {"count": done},
                )
            return None
        return text_action_page(
            self,
            request,
            queryset.select_related("recipient_partner", "recipient_user"),
            action="mark_paid",
            title=_("Mark payouts paid"),
            form=form,
            describe=lambda p: f"#{p.pk} {self.recipient(p)}: {p}",
        )

    @admin.action(description=_("Export selected payouts as CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(payouts_csv(queryset.order_by("pk")), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="payouts.csv"'
        return response
