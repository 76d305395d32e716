"""Deal registrations (read-only rows; approve/reject as bulk actions calling the services) and the
rules of engagement per program (DealRulesAdmin, saved through `deal_rules_save`)."""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Program
from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import (
    ReadOnlyAdminMixin,
    TenantInlineMixin,
    TenantModelAdmin,
    report_domain_error,
    run_for_each,
    text_action_page,
)

from ..models import Deal, DealConflict, DealLine, DealRules
from ..selectors import REVIEW_OVERDUE, conflict_rule_text
from ..services import deal_approve, deal_reject, deal_rules_save
from ..services.lifecycle import TEXT_MAX_LENGTH
from ..services.rules import RULE_FIELDS, deal_rules_validate

VIEW, MANAGE = "deals.view_all", "deals.manage"


class YesNoFilter(admin.SimpleListFilter):
    condition = None

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class OverdueFilter(YesNoFilter):
    title = _("review overdue")
    parameter_name = "overdue"

    def condition(self):
        return REVIEW_OVERDUE


class ConflictFilter(YesNoFilter):
    title = _("potential conflict")
    parameter_name = "conflicts"

    def condition(self):
        return Exists(DealConflict.objects.filter(deal=OuterRef("pk")))


class ReadOnlyInline(ReadOnlyAdminMixin, TenantInlineMixin, admin.TabularInline):
    view_capability = VIEW
    extra = 0


class DealConflictInline(ReadOnlyInline):
    """What the conflict check found, with its evidence."""

    model = DealConflict
    fk_name = "deal"
    fields = ("conflicts_with", "matched_on", "score", "dates", "detected_at")
    readonly_fields = fields
    verbose_name_plural = _("potential conflicts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("other_deal__partner", "house_account")

    @admin.display(description=_("conflicts with"))
    def conflicts_with(self, obj):
        if obj.other_deal_id:
            other = obj.other_deal
            return _("%(partner)s: %(customer)s (%(domain)s), %(status)s") % {
                "partner": other.partner.name,
                "customer": other.customer_name,
                "domain": other.customer_domain or "—",
                "status": other.get_status_display(),
            }
        house = obj.house_account
        return _("House account %(name)s (%(domain)s) owned by %(owner)s") % {
            "name": house.company_name,
            "domain": house.domain or "—",
            "owner": house.owner_name or "—",
        }

    @admin.display(description=_("dates"))
    def dates(self, obj):
        if obj.other_deal_id:
            other = obj.other_deal
            submitted = other.submitted_at.date().isoformat() if other.submitted_at else "—"
            protected = other.protected_until.isoformat() if other.protected_until else "—"
            return _("submitted %(submitted)s, protected until %(protected)s") % {
                "submitted": submitted,
                "protected": protected,
            }
        return _("listed %(date)s") % {"date": obj.house_account.created_at.date().isoformat()}


class DealLineInline(ReadOnlyInline):
    model = DealLine
    fields = ("product", "quantity", "unit_list_price")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


class ReasonForm(forms.Form):
    text = forms.CharField(
        label=_("Reason (shown to the partner)"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=TEXT_MAX_LENGTH,
    )


@admin.register(Deal)
class DealAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Registrations are changed through their services: here they are read and decided in bulk."""

    view_capability = VIEW
    change_capability = MANAGE
    list_display = (
        "customer_name",
        "partner",
        "status",
        "source",
        "estimated_value",
        "currency",
        "submitted_at",
        "review_due_at",
        "protected_until",
    )
    list_filter = ("status", "source", OverdueFilter, ConflictFilter)
    list_select_related = ("partner",)
    search_fields = ("customer_name", "customer_domain", "partner__name")
    date_hierarchy = "created_at"
    fields = (
        "partner",
        "registered_by",
        "status",
        "source",
        "lead",
        "customer_name",
        "customer_domain",
        "country",
        "contact_name",
        "contact_email",
        "contact_phone",
        "expected_close_date",
        "estimated_value",
        "currency",
        "notes",
        "special_discount_pct",
        "submitted_at",
        "review_due_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "protected_until",
        "extensions_used",
        "closed_at",
        "closed_amount",
        "lost_reason",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [DealConflictInline, DealLineInline]
    actions = ["approve", "reject"]

    # Read-only here: partners register in the portal or the API.

    def has_decide_permission(self, request):
        return self._can_change(request)

    def _each(self, request, queryset, service, **arguments) -> int:
        return run_for_each(
            self,
            request,
            queryset.select_related("partner").order_by("pk"),
            lambda deal: service(deal=deal, actor=request.user, **arguments),
            label=lambda deal: f"{deal.customer_name} ({deal.partner.name})",
        )

    @admin.action(description=_("Approve selected registrations"), permissions=["decide"])
    def approve(self, request, queryset):
        done = self._each(request, queryset, deal_approve)
        if done:
            message = ngettext("%(count)d registration approved.", "%(count)d registrations approved.", done)
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("Reject selected registrations…"), permissions=["decide"])
    def reject(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = self._each(request, queryset, deal_reject, reason=form.cleaned_data["text"])
            if done:
                message = ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.", done)
                self.message_user(request, message % {"count": done})
            return None
        return text_action_page(
            self,
            request,
            queryset.select_related("partner"),
            action="reject",
            title=_("Reject registrations"),
            form=form,
            describe=lambda deal: f"{deal.customer_name} — {deal.partner.name} ({deal.get_status_display()})",
        )


class DealRulesForm(forms.ModelForm):
    # Declared (not from the model) so no tenant query runs when this module is imported.
    program = forms.ModelChoiceField(label=_("program"), queryset=None)

    class Meta:
        model = DealRules
        fields = list(RULE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        if self.instance.pk:
            field.queryset = Program.objects.filter(pk=self.instance.program_id)
            field.initial = self.instance.program_id
            field.disabled = True
        else:  # one row per program: only programs without rules yet
            field.queryset = Program.objects.exclude(pk__in=DealRules.objects.values("program_id"))

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        self.instance.program = self.cleaned_data["program"]
        try:
            deal_rules_validate(self.instance)
        except DomainError as error:
            form_error_fields(self, error)


@admin.register(DealRules)
class DealRulesAdmin(TenantModelAdmin):
    """Rules of engagement, one row per program; programs without a row use the defaults shown above
    the list. Tenant admins change them; vendor staff read them."""

    view_capability = VIEW
    change_capability = "programs.manage"
    form = DealRulesForm
    fields = ("program", *RULE_FIELDS)
    list_display = (
        "program",
        "protection_days",
        "review_sla_business_days",
        "max_extensions",
        "extension_days",
        "registration_discount_pct",
        "conflict_policy",
    )
    list_select_related = ("program",)
    list_filter = ("conflict_policy",)

    def changelist_view(self, request, extra_context=None):
        defaults = DealRules()
        context = {
            "programs_on_defaults": Program.objects.exclude(pk__in=DealRules.objects.values("program_id")),
            "defaults": defaults,
            "default_conflict_rule": conflict_rule_text(defaults.conflict_policy),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in RULE_FIELDS}
        try:
            form.instance = deal_rules_save(program=form.cleaned_data["program"], actor=request.user, **values)
            obj.pk = form.instance.pk
        except DomainError as error:
            report_domain_error(self, request, error)
