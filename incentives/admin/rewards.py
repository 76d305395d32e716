"""Admin of the rewards catalog (saved through the services; eligible tiers picked from the tenant's tiers) and
of redemptions (read-only rows; fulfil and refuse are actions calling the services)."""

from django import forms
from django.contrib import admin
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, F, Func, OuterRef
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Tier
from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin, report_domain_error, run_for_each, text_action_page

from ..models import Redemption, Reward
from ..points_access import MANAGE, VIEW_ALL
from ..services.redemptions import (
    REWARD_FIELDS,
    TEXT_MAX,
    redemption_fulfil,
    redemption_refuse,
    reward_create,
    reward_update,
    reward_validate,
)


class RewardForm(forms.ModelForm):
    # Declared (not from the model) so the choices are the tenant's tiers, read when the form is built.
    eligible_tier_ids = forms.TypedMultipleChoiceField(
        label=_("tiers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every tier."),
    )

    class Meta:
        model = Reward
        fields = list(REWARD_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = Tier.objects.select_related("program").order_by("program__name", "rank")
        self.fields["eligible_tier_ids"].choices = [(tier.pk, f"{tier.program.name}: {tier.name}") for tier in tiers]

    def _post_clean(self):
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)
            return
        if self.errors:
            return
        try:
            reward_validate(self.instance, {name: self.cleaned_data[name] for name in REWARD_FIELDS})
        except DomainError as error:
            form_error_fields(self, error)


class _InArray(Func):
    """`value = ANY(array)` as a filter."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


@admin.register(Reward)
class RewardAdmin(TenantModelAdmin):
    view_capability = VIEW_ALL
    change_capability = MANAGE
    form = RewardForm
    list_display = ("name", "kind", "points_cost", "stock", "tiers", "is_active", "position")
    list_filter = ("is_active", "kind")
    search_fields = ("name", "description")

    def has_delete_permission(self, request, obj=None):
        return False  # redemptions refer to it: deactivate instead

    def get_queryset(self, request):
        # The tiers' names in the same query: tiers whose id is in the reward's array.
        names = Tier.objects.filter(_InArray(F("pk"), OuterRef("eligible_tier_ids"))).order_by("rank", "name")
        return super().get_queryset(request).annotate(tier_names=ArraySubquery(names.values("name")))

    @admin.display(description=_("tiers"))
    def tiers(self, obj):
        return ", ".join(obj.tier_names) if obj.eligible_tier_ids else _("every tier")

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in REWARD_FIELDS if name in form.cleaned_data}
        try:
            if change:
                changed = {name: values[name] for name in form.changed_data if name in values}
                reward_update(reward=obj, actor=request.user, **changed)
            else:
                created = reward_create(actor=request.user, **values)
                obj.pk, obj.tenant_id = created.pk, created.tenant_id
                obj._state.adding = False
        except DomainError as error:
            report_domain_error(self, request, error)


class RefuseReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the requester)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Requests come from the portal or the API; the decision goes through the services (refusal refunds)."""

    view_capability = VIEW_ALL
    change_capability = MANAGE
    list_display = ("reward", "user", "partner", "points", "status", "requested_at", "points_age_days", "decided_at")
    list_filter = ("status", "reward")
    list_select_related = ("reward", "user", "partner")
    search_fields = ("reward__name", "user__email", "partner__name")
    date_hierarchy = "requested_at"
    fields = (
        "reward",
        "user",
        "partner",
        "points",
        "status",
        "note",
        "requested_at",
        "points_age_days",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    readonly_fields = fields
    actions = ["fulfil", "refuse"]

    def has_decide_permission(self, request):
        return self._can_change(request)

    def _each(self, request, queryset, service, **arguments) -> int:
        return run_for_each(
            self,
            request,
            queryset.select_related("reward", "user").order_by("pk"),
            lambda redemption: service(redemption=redemption, actor=request.user, **arguments),
            label=lambda redemption: f"{redemption.reward.name} ({redemption.user.email})",
        )

    @admin.action(description=_("Fulfil selected redemptions"), permissions=["decide"])
    def fulfil(self, request, queryset):
        done = self._each(request, queryset, redemption_fulfil)
        if done:
            message = ngettext("%(count)d redemption fulfilled.", "%(count)d redemptions fulfilled.", done)
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("Refuse selected redemptions (refunds the points)…"), permissions=["decide"])
    def refuse(self, request, queryset):
        form = RefuseReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = self._each(request, queryset, redemption_refuse, reason=form.cleaned_data["reason"])
            if done:
                message = ngettext("%(count)d redemption refused.", "%(count)d redemptions refused.", done)
                self.message_user(request, message % {"count": done})
            return None
        return text_action_page(
            self,
            request,
            queryset.select_related("reward", "user"),
            action="refuse",
            title=_("Refuse redemptions"),
            form=form,
            describe=lambda r: f"{r.reward.name} — {r.user.email}, {r.points} points ({r.get_status_display()})",
        )
