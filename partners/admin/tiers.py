"""Admin of tiers: tiers with criteria and structured benefits, the threshold simulation, tier changes
(read-only, approve/reject pending ones) and the evaluation runs."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.accounts.permissions import on_platform_host
from prm.errors import DomainError
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantInlineMixin, TenantModelAdmin, report_domain_error

from ..forms.tiers import ThresholdForm
from ..metrics import metric_choices, validate_metric_key
from ..models import Partner, Program, Tier, TierChange, TierCriterion, TierEvaluationRun
from ..selectors import metric_values_for, tier_list
from ..selectors.tiers import metric_keys_of, tier_spec
from ..services import tier_change_approve, tier_change_reject, tier_thresholds_update
from ..services.tiers import EVALUATED_STATUSES, tenant_today
from ..tier_rules import PROMOTION, CriterionSpec, TierSpec, simulate


class TierCriterionForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("metric"), choices=metric_choices, validators=[validate_metric_key])

    class Meta:
        model = TierCriterion
        fields = ["metric", "threshold"]


class TierCriterionInline(TenantInlineMixin, admin.TabularInline):
    """Criteria of a tier; access follows the tier admin's capabilities."""

    model = TierCriterion
    form = TierCriterionForm
    extra = 1
    view_capability = "admin.view"
    change_capability = "programs.manage"


class PerksField(forms.CharField):
    """The perks list edited as one perk per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class TierForm(forms.ModelForm):
    """The admin builds the model form (fields from the fieldsets) at request time, in the tenant's context."""

    perks = PerksField(label=_("perks"), required=False, help_text=_("One per line."))


@admin.register(Tier)
class TierAdmin(TenantModelAdmin):
    change_capability = "programs.manage"
    form = TierForm
    list_display = ("name", "program", "rank", "product_discount_pct", "rebate_multiplier", "criteria_summary")
    list_filter = ("program",)
    ordering = ("program", "rank")
    inlines = [TierCriterionInline]
    fieldsets = (
        (None, {"fields": ("program", "name", "rank", "description")}),
        (
            _("Benefits"),
            {
                "fields": (
                    "product_discount_pct",
                    "deal_registration_discount_pct",
                    "rebate_multiplier",
                    "mdf_allocation_per_quarter",
                    "mdf_reimbursement_cap_pct",
                    "perks",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program").prefetch_related("criteria")

    @admin.display(description=_("criteria"))
    def criteria_summary(self, tier):
        return "; ".join(str(criterion) for criterion in tier.criteria.all()) or "-"

    def changelist_view(self, request, extra_context=None):
        programs = [] if on_platform_host(request) else list(Program.objects.order_by("position", "name"))
        return super().changelist_view(request, {**(extra_context or {}), "simulation_programs": programs})

    def get_urls(self):
        simulate_view = self.admin_site.admin_view(self.simulate_view)
        return [path("simulate/<int:program_id>/", simulate_view, name="partners_tier_simulate"), *super().get_urls()]

    def simulate_view(self, request, program_id: int):
        """Edit a program's thresholds in a preview and see who would move; save only on request."""
        if on_platform_host(request) or not self.has_view_permission(request):
            raise PermissionDenied
        program = get_object_or_404(Program.objects.all(), pk=program_id)
        tiers = list(tier_list(program_ids=[program.pk]))
        form = ThresholdForm(request.POST or None, tiers=tiers)
        can_save = self._can_change(request)
        result = None
        if request.method == "POST" and form.is_valid():
            if "_save" in request.POST:
                if not can_save:
                    raise PermissionDenied
                try:
                    changed = tier_thresholds_update(program=program, thresholds=form.thresholds(), actor=request.user)
                except DomainError as error:
                    report_domain_error(self, request, error)
                else:
                    message = ngettext("%(count)d threshold saved.", "%(count)d thresholds saved.", changed)
                    self.message_user(request, message % {"count": changed})
                    return redirect(reverse("admin:partners_tier_simulate", args=[program.pk]))
            else:
                result = self._simulation(program, tiers, form.thresholds())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Simulate thresholds: %(program)s") % {"program": program.name},
            "program": program,
            "form": form,
            "result": result,
            "can_save": can_save,
        }
        return TemplateResponse(request, "admin/partners/tier/simulate.html", context)

    def _simulation(self, program: Program, tiers: list[Tier], thresholds: dict) -> dict:
        """Current and proposed moves of the program's onboarding/active partners, with today's metric values."""
        current = [tier_spec(tier) for tier in tiers]
        proposed = [
            TierSpec(
                spec.id,
                spec.rank,
                spec.name,
                tuple(
                    CriterionSpec(c.metric, thresholds[criterion.pk])
                    for c, criterion in zip(spec.criteria, tier.criteria.all(), strict=True)
                ),
            )
            for spec, tier in zip(current, tiers, strict=True)
        ]
        partners = Partner.objects.filter(program=program, status__in=EVALUATED_STATUSES)
        rows = list(partners.order_by("name").values_list("pk", "name", "tier_id", "tier_pinned_until"))
        today = tenant_today()
        values = metric_values_for(partners, metric_keys_of(current), as_of=today)
        names = {pk: name for pk, name, _tier, _pin in rows}
        states = [(pk, tier_id, pinned) for pk, _name, tier_id, pinned in rows]
        now = simulate(tiers=current, partners=states, values=values, today=today)
        then = simulate(tiers=proposed, partners=states, values=values, today=today)
        return {
            "partners": len(rows),
            "now_up": sum(1 for move in now if move.direction == PROMOTION),
            "now_down": sum(1 for move in now if move.direction != PROMOTION),
            "up": [(names[m.partner_id], m) for m in then if m.direction == PROMOTION],
            "down": [(names[m.partner_id], m) for m in then if m.direction != PROMOTION],
        }


class PendingFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return TierChange.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(TierChange)
class TierChangeAdmin(TenantModelAdmin):
    """Read-only history; pending promotions are approved or rejected with the actions."""

    change_capability = "partners.manage"
    list_display = ("created_at", "partner", "kind", "from_tier", "to_tier", "status", "evaluated_on")
    list_filter = (PendingFilter, "kind")
    search_fields = ("partner__name",)
    list_select_related = ("partner", "from_tier__program", "to_tier__program")
    actions = ["approve", "reject"]
    readonly_fields = (
        "partner",
        "from_tier",
        "to_tier",
        "kind",
        "status",
        "reason",
        "metric_values",
        "evaluated_on",
        "actor",
        "decided_by",
        "decided_at",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # The change list's actions need it; a single change is never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, service, done_message):
        done = 0
        for change in queryset:
            try:
                service(tier_change=change, actor=request.user)
                done += 1
            except DomainError as error:
                report_domain_error(self, request, error)
        if done:
            self.message_user(request, done_message(done) % {"count": done})

    @admin.action(description=_("Approve selected pending promotions"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            tier_change_approve,
            lambda n: ngettext("%(count)d promotion approved.", "%(count)d promotions approved.", n),
        )

    @admin.action(description=_("Reject selected pending promotions"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            tier_change_reject,
            lambda n: ngettext("%(count)d promotion rejected.", "%(count)d promotions rejected.", n),
        )


@admin.register(TierEvaluationRun)
class TierEvaluationRunAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """What has run: one row per day and vendor (read-only)."""

    list_display = ("run_on", "started_at", "finished_at", "partners_evaluated", "changes")
    readonly_fields = list_display
    fields = list_display
