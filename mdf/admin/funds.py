"""Funds (created through `fund_create`; tier benefits allocated by an action), allocations (given and changed
through `allocation_set`, so the fund's budget is never passed; balances in one query per page) and the
vendor's activity types."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Partner
from prm.audit.services import audit_record
from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import TenantModelAdmin, run_for_each

from ..models import ActivityType, Allocation, Fund, ProofKind
from ..selectors import allocation_balances
from ..services import allocation_set, allocations_by_tier, fund_budget_move, fund_create
from ..services.funds import FUND_FIELDS
from .common import MANAGE, REASON_MAX_LENGTH, VIEW, DecisionPagesMixin, ReadOnlyInline

_MONEY = DecimalField(max_digits=14, decimal_places=2)


class ServiceForm(forms.ModelForm):
    """Saved by a service when it validates: its refusals (a field's error, a 409 over the budget) are shown
    on the form. A later failure of the admin's save rolls the write back with the admin's transaction."""

    actor = None  # set by the admin

    def _post_clean(self):
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.instance = self.save_through_service(self.cleaned_data)
        except DomainError as error:
            form_error_fields(self, error)

    def save_through_service(self, data):
        raise NotImplementedError


class FundForm(ServiceForm):
    class Meta:
        model = Fund
        fields = list(FUND_FIELDS)

    def save_through_service(self, data):
        return fund_create(actor=self.actor, **data)


class AllocationInline(ReadOnlyInline):
    model = Allocation
    fields = ("partner", "source", "amount", "expired_amount", "note", "created_at")
    readonly_fields = fields
    ordering = ("partner__name", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner")


class ActorFormMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        pass  # written (and audited) by the service when the form was validated

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetMoveForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Into fund"), queryset=None)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), max_length=REASON_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Fund.objects.order_by("-starts_on", "name")


def _move_budget(request, fund, data):
    fund_budget_move(
        actor=request.user, source=fund, target=data["target"], amount=data["amount"], reason=data["reason"]
    )


@admin.register(Fund)
class FundAdmin(DecisionPagesMixin, ActorFormMixin, TenantModelAdmin):
    """A fund's settings are set when it is made; its allocations are given on the allocation pages."""

    view_capability = VIEW
    change_capability = MANAGE
    form = FundForm
    list_display = (
        "name",
        "scheme",
        "starts_on",
        "ends_on",
        "budget",
        "allocated",
        "available_to_allocate",
        "currency",
        "expires_on",
    )
    list_filter = ("scheme", "currency")
    search_fields = ("name",)
    date_hierarchy = "starts_on"
    inlines = [AllocationInline]
    actions = ["allocate_by_tier"]
    decisions = {"move-budget": (_("Move unallocated budget to another fund"), BudgetMoveForm, _move_budget)}

    def get_queryset(self, request):
        given = Sum(F("allocations__amount") - F("allocations__expired_amount"), output_field=_MONEY)
        return super().get_queryset(request).annotate(given=Coalesce(given, Value(0), output_field=_MONEY))

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else (*FUND_FIELDS, "reminder_days", "expires_on", "created_at", "budget_moves")

    def get_fields(self, request, obj=None):
        return list(FUND_FIELDS) if obj is None else self.get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else self._can_change(request)

    def has_manage_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("allocated"))
    def allocated(self, fund):
        return fund.given

    @admin.display(description=_("available to allocate"))
    def available_to_allocate(self, fund):
        return fund.budget - fund.given

    @admin.display(description=_("allocations expire"))
    def expires_on(self, fund):
        return fund.expires_on

    @admin.display(description=_("budget"))
    def budget_moves(self, fund):
        # What expired unused came back to the fund: move it where managers can allocate it again.
        return self.decision_links(fund)

    @admin.action(description=_("Allocate tier benefits now"), permissions=["manage"])
    def allocate_by_tier(self, request, queryset):
        made = []
        done = run_for_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda fund: made.extend(allocations_by_tier(fund=fund, actor=request.user)),
        )
        if done:
            message = ngettext("%(count)d allocation made.", "%(count)d allocations made.", len(made))
            self.message_user(request, message % {"count": len(made)})


class AllocationForm(ServiceForm):
    # Declared (not from the model) so no tenant query runs when this module is imported.
    fund = forms.ModelChoiceField(label=_("fund"), queryset=None)
    partner = forms.ModelChoiceField(label=_("partner"), queryset=None)

    class Meta:
        model = Allocation
        fields = ["fund", "partner", "source", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.order_by("name")
        self.fields["fund"].queryset = Fund.objects.order_by("-starts_on", "name")
        if self.instance.pk:  # the route of an allocation stays; its amount and note change
            for name in ("fund", "partner", "source"):
                self.fields[name].disabled = True

    def save_through_service(self, data):
        return allocation_set(
            actor=self.actor,
            fund=data["fund"],
            partner=data["partner"],
            amount=data["amount"],
            source=data["source"],
            note=data.get("note") or "",
        )


class BalanceChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        balances = allocation_balances(self.result_list)
        for allocation in self.result_list:
            allocation.balance = balances[allocation.pk]


def _part(name: str, label):
    @admin.display(description=label)
    def show(self, allocation):
        return getattr(allocation.balance, name)

    return show


@admin.register(Allocation)
class AllocationAdmin(ActorFormMixin, TenantModelAdmin):
    view_capability = VIEW
    change_capability = MANAGE
    form = AllocationForm
    list_display = (
        "partner",
        "fund",
        "source",
        "amount",
        "expired",
        "requested",
        "claimed",
        "approved",
        "paid",
        "available",
    )
    list_filter = ("fund", "source", ("partner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("fund", "partner")
    search_fields = ("partner__name", "fund__name", "note")
    readonly_fields = ("expired_amount", "expired_at", "created_by", "created_at", "updated_at")

    expired = _part("expired", _("expired"))
    requested = _part("requested", _("requested"))
    claimed = _part("claimed", _("claimed"))
    approved = _part("approved", _("approved"))
    paid = _part("paid", _("paid"))
    available = _part("available", _("available"))

    def get_changelist(self, request, **kwargs):
        return BalanceChangeList

    def get_fields(self, request, obj=None):
        fields = ["fund", "partner", "source", "amount", "note"]
        return fields if obj is None else [*fields, *self.readonly_fields]


class ActivityTypeForm(forms.ModelForm):
    required_proof = forms.MultipleChoiceField(
        label=_("required proof"),
        choices=ProofKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A claim for this kind of activity needs these files before it can be submitted."),
    )

    class Meta:
        model = ActivityType
        fields = ["name", "key", "position", "is_active", "required_proof"]

    def clean_key(self):
        key = self.cleaned_data["key"]
        if ActivityType.objects.filter(key=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An activity type with this key exists already."))
        return key


@admin.register(ActivityType)
class ActivityTypeAdmin(TenantModelAdmin):
    """The kinds of activity partners may ask funds for, in the order partners see them."""

    view_capability = VIEW
    change_capability = MANAGE
    form = ActivityTypeForm
    list_display = ("name", "key", "position", "is_active", "proof")
    list_editable = ("position",)
    list_filter = ("is_active",)
    search_fields = ("name", "key")
    ordering = ("position", "name")
    actions = ["activate", "deactivate"]

    def has_delete_permission(self, request, obj=None):
        return False  # requests keep their activity type; deactivate it instead

    def has_manage_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("required proof"))
    def proof(self, activity_type):
        return ", ".join(str(ProofKind(kind).label) for kind in activity_type.required_proof) or "—"

    def _set_active(self, request, queryset, active: bool) -> int:
        changed = 0
        for activity_type in queryset.filter(is_active=not active).order_by("pk"):
            activity_type.is_active = active
            activity_type.save(update_fields=["is_active"])
            audit_record(
                action="activitytype.change",
                actor=request.user,
                obj=activity_type,
                changes={"is_active": [str(not active), str(active)]},
            )
            changed += 1
        return changed

    @admin.action(description=_("Activate selected activity types"), permissions=["manage"])
    def activate(self, request, queryset):
        done = self._set_active(request, queryset, True)
        message = ngettext("%(count)d activity type activated.", "%(count)d activity types activated.", done)
        self.message_user(request, message % {"count": done})

    @admin.action(description=_("Deactivate selected activity types"), permissions=["manage"])
    def deactivate(self, request, queryset):
        done = self._set_active(request, queryset, False)
        message = ngettext("%(count)d activity type deactivated.", "%(count)d activity types deactivated.", done)
        self.message_user(request, message % {"count": done})
