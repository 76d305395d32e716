"""Admin of incentive programs (saved through the services; rule versions read-only with a "new rule
version" action; activate, end, run now), runs (progress, history, re-execute failed ones), enrollments
(read-only) and the tenant's incentive settings (one row, created on first use)."""

import json

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Program, Tier
from partners.profile import PartnerType, Region
from prm.accounts.permissions import on_platform_host
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

from ..event_kinds import event_kind_keys
from ..models import Enrollment, IncentiveProgram, IncentiveSettings, RuleVersion, Run
from ..periods import period_containing
from ..rules import RuleError, validate_params
from ..selectors.program_views import current_rule_version
from ..services import (
    incentive_program_create,
    incentive_program_set_status,
    incentive_program_update,
    rule_version_create,
    run_reexecute,
    run_request,
)
from ..services.programs import PROGRAM_FIELDS
from ..services.schedule import incentive_settings

VIEW, MANAGE = "incentives.view_all", "incentives.manage"


def _multi(label, help_text=""):
    return forms.TypedMultipleChoiceField(
        label=label, required=False, help_text=help_text, widget=forms.CheckboxSelectMultiple
    )


class IncentiveProgramForm(forms.ModelForm):
    """Eligibility as choices of the tenant's partner programs, tiers, partner types and regions (the model
    stores lists of ids/values); choices are read when the form is built, in the tenant's context."""

    slug = forms.SlugField(label=_("slug"), max_length=60, required=False, help_text=_("Empty: from the name."))
    eligible_program_ids = _multi(_("partner programs"), _("None ticked: any."))
    eligible_tier_ids = _multi(_("tiers"), _("None ticked: any."))
    eligible_types = _multi(_("partner types"), _("None ticked: any."))
    eligible_regions = _multi(_("regions"), _("None ticked: any."))

    class Meta:
        model = IncentiveProgram
        fields = list(PROGRAM_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_program_ids"].choices = [(p.pk, p.name) for p in Program.objects.order_by("name")]
        self.fields["eligible_program_ids"].coerce = int
        tiers = Tier.objects.select_related("program").order_by("program__name", "rank")
        self.fields["eligible_tier_ids"].choices = [(t.pk, f"{t.program.name} · {t.name}") for t in tiers]
        self.fields["eligible_tier_ids"].coerce = int
        self.fields["eligible_types"].choices = PartnerType.choices
        self.fields["eligible_regions"].choices = Region.choices

    def _sorted(self, name):
        return sorted(set(self.cleaned_data.get(name) or []))

    def clean_eligible_program_ids(self):
        return self._sorted("eligible_program_ids")

    def clean_eligible_tier_ids(self):
        return self._sorted("eligible_tier_ids")

    def clean_eligible_types(self):
        return self._sorted("eligible_types")

    def clean_eligible_regions(self):
        return self._sorted("eligible_regions")

    def clean_slug(self):
        from django.utils.text import slugify

        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))[:60]
        if slug and IncentiveProgram.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A program with this slug exists already."))
        return slug


class IncentiveProgramAddForm(IncentiveProgramForm):
    params = forms.JSONField(
        label=_("rules (first version)"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_('JSON of the kind\'s rules, e.g. {"bands": [{"from": "0", "rate": "0"}, …]}.'),
    )

    def clean(self):
        cleaned = super().clean()
        if "params" in cleaned and cleaned.get("kind"):
            try:
                cleaned["params"] = validate_params(cleaned["kind"], cleaned["params"], event_kinds=event_kind_keys())
            except RuleError as error:
                for key, messages in error.fields.items():
                    for message in messages:
                        self.add_error("params", f"{key}: {message}")
        return cleaned


class RuleVersionInline(ReadOnlyAdminMixin, TenantInlineMixin, admin.TabularInline):
    """Versions are never edited: a change is a new version (the action on the program list)."""

    model = RuleVersion
    view_capability = VIEW
    extra = 0
    can_delete = False
    fields = ("version", "effective_from", "rules", "note", "created_by", "created_at")
    readonly_fields = fields
    ordering = ("-version",)

    @admin.display(description=_("rules"))
    def rules(self, version):
        return format_html("<pre>{}</pre>", json.dumps(version.params, indent=2, sort_keys=True))


class RuleVersionForm(forms.Form):
    params = forms.JSONField(label=_("Rules (JSON)"), widget=forms.Textarea(attrs={"rows": 12, "cols": 80}))
    effective_from = forms.DateField(
        label=_("Effective from"), help_text=_("The first day of a period: the open one or a later one.")
    )
    note = forms.CharField(label=_("What changed"), max_length=240, required=False)


class RunNowForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        required=False,
        help_text=_("2026-Q3, 2026-07 or 2026; empty: each program's current period."),
    )


@admin.register(IncentiveProgram)
class IncentiveProgramAdmin(TenantModelAdmin):
    view_capability = VIEW
    change_capability = MANAGE
    form = IncentiveProgramForm
    list_display = ("name", "kind", "status", "award_to", "unit", "currency", "period_scheme", "starts_on", "ends_on")
    list_filter = ("status", "kind", "period_scheme")
    search_fields = ("name", "slug")
    readonly_fields = ("status", "runs", "created_at", "updated_at")
    inlines = [RuleVersionInline]
    actions = ["activate", "end", "new_rule_version", "run_now"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "status", "summary", "description", "runs")}),
        (_("Award"), {"fields": ("award_to", "unit", "currency", "budget", "channel_manager_share_pct")}),
        (_("Periods"), {"fields": ("period_scheme", "starts_on", "ends_on")}),
        (
            _("Eligibility"),
            {
                "fields": (
                    "eligible_program_ids",
                    "eligible_tier_ids",
                    "eligible_types",
                    "eligible_regions",
                    "requires_opt_in",
                    "terms",
                )
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (*self.fieldsets, (_("Rules"), {"fields": ("params",)}))
        return self.fieldsets

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = IncentiveProgramAddForm if obj is None else IncentiveProgramForm
        return super().get_form(request, obj, change, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # programs end; their lines and runs stay explainable

    def has_manage_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("runs"))
    def runs(self, program):
        if program.pk is None:
            return "—"
        url = reverse("admin:incentives_run_changelist") + f"?program__id__exact={program.pk}"
        return format_html('<a href="{}">{}</a>', url, _("History of this program's runs"))

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in PROGRAM_FIELDS if name in form.cleaned_data}
        try:
            if change:
                changed = {name: values[name] for name in form.changed_data if name in values}
                incentive_program_update(program=obj, actor=request.user, **changed)
            else:
                created = incentive_program_create(actor=request.user, params=form.cleaned_data["params"], **values)
                obj.pk, obj.tenant_id = created.pk, created.tenant_id
                obj._state.adding = False
        except DomainError as error:
            report_domain_error(self, request, error)

    def _set_status(self, request, queryset, status) -> int:
        return run_for_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda program: incentive_program_set_status(program=program, actor=request.user, status=status),
        )

    @admin.action(description=_("Activate selected programs"), permissions=["manage"])
    def activate(self, request, queryset):
        done = self._set_status(request, queryset, IncentiveProgram.Status.ACTIVE)
        if done:
            message = ngettext("%(count)d program activated.", "%(count)d programs activated.", done)
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("End selected programs"), permissions=["manage"])
    def end(self, request, queryset):
        done = self._set_status(request, queryset, IncentiveProgram.Status.ENDED)
        if done:
            self.message_user(
                request, ngettext("%(count)d program ended.", "%(count)d programs ended.", done) % {"count": done}
            )

    @admin.action(description=_("New rule version…"), permissions=["manage"])
    def new_rule_version(self, request, queryset):
        programs = list(queryset[:2])
        if len(programs) != 1:
            self.message_user(request, _("Choose exactly one program for a new rule version."), "error")
            return None
        program = programs[0]
        if "apply" in request.POST:
            form = RuleVersionForm(request.POST)
            if form.is_valid():
                try:
                    version = rule_version_create(program=program, actor=request.user, **form.cleaned_data)
                except DomainError as error:
                    form_error_fields(form, error)
                else:
                    self.message_user(
                        request,
                        _("Version %(version)s of %(program)s is in effect from %(day)s.")
                        % {"version": version.version, "program": program.name, "day": version.effective_from},
                    )
                    return None
        else:
            versions = list(program.rule_versions.all())
            today = _today()
            current = current_rule_version(program, versions, today=today)
            next_period = period_containing(max(today, program.starts_on), program.period_scheme).next()
            form = RuleVersionForm(
                initial={
                    "params": current.params if current else {},
                    "effective_from": next_period.starts_on,
                }
            )
        return text_action_page(
            self,
            request,
            queryset.filter(pk=program.pk),
            action="new_rule_version",
            title=_("New rule version"),
            form=form,
            describe=lambda p: f"{p.name} ({p.get_kind_display()}, {p.get_period_scheme_display()})",
        )

    @admin.action(description=_("Run now…"), permissions=["manage"])
    def run_now(self, request, queryset):
        form = RunNowForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            today = _today()

            def request_run(program):
                period = form.cleaned_data["period"] or (
                    period_containing(max(today, program.starts_on), program.period_scheme).key
                )
                run_request(program=program, period_key=period, kind=Run.Kind.MANUAL, actor=request.user)

            run_for_each(
                self,
                request,
                queryset.order_by("pk"),
                request_run,
                done_message=lambda n: ngettext("%(count)d run queued.", "%(count)d runs queued.", n),
            )
            return None
        return text_action_page(
            self,
            request,
            queryset,
            action="run_now",
            title=_("Run now"),
            form=form,
            describe=lambda p: f"{p.name} ({p.get_status_display()})",
        )


def _today():
    from partners.services.tiers import tenant_today

    return tenant_today()


@admin.register(Run)
class RunAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Runs are read; a failed one can be queued again."""

    view_capability = VIEW
    change_capability = MANAGE
    list_display = (
        "program",
        "period",
        "kind",
        "status",
        "progress",
        "chunks",
        "recipients",
        "lines_posted",
        "amount_posted",
        "duration_text",
        "created_at",
    )
    list_filter = ("status", "kind", "program")
    list_select_related = ("program",)
    search_fields = ("program__name", "period")
    date_hierarchy = "created_at"
    fields = (
        "program",
        "rule_version",
        "period",
        "kind",
        "as_of",
        "cutoff",
        "status",
        "progress",
        "chunks",
        "recipients",
        "lines_posted",
        "amount_posted",
        "attempts",
        "error",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "duration_text",
    )
    readonly_fields = fields
    actions = ["reexecute"]

    def has_reexecute_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("progress"))
    def progress(self, run):
        pct = run.progress_pct
        return format_html('<progress max="100" value="{}">{}%</progress> {}%', pct, pct, pct)

    @admin.display(description=_("chunks"))
    def chunks(self, run):
        return f"{run.chunks_done}/{run.chunks_total}"

    @admin.display(description=_("duration"))
    def duration_text(self, run):
        duration = run.duration
        return f"{duration.total_seconds():.1f} s" if duration is not None else "—"

    @admin.action(description=_("Re-execute selected failed runs"), permissions=["reexecute"])
    def reexecute(self, request, queryset):
        done = run_for_each(
            self,
            request,
            queryset.select_related("program").order_by("pk"),
            lambda run: run_reexecute(run=run, actor=request.user),
            label=lambda run: f"{run.program.name} {run.period}",
        )
        if done:
            self.message_user(
                request, ngettext("%(count)d run queued.", "%(count)d runs queued.", done) % {"count": done}
            )


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Who opted in to which program, and the terms they accepted (written by the opt-in only)."""

    view_capability = VIEW
    change_capability = MANAGE
    list_display = ("program", "partner", "accepted_by", "accepted_at")
    list_filter = ("program",)
    list_select_related = ("program", "partner", "accepted_by")
    search_fields = ("partner__name", "program__name")
    fields = ("program", "partner", "accepted_by", "accepted_at", "terms_accepted")
    readonly_fields = fields


@admin.register(IncentiveSettings)
class IncentiveSettingsAdmin(TenantModelAdmin):
    """One row per tenant: the list opens it (creating it with the defaults on first use)."""

    view_capability = VIEW
    change_capability = MANAGE
    fields = ("close_after_days", "points_expiry_months", "leaderboard_published", "leaderboard_show_names")
    list_display = ("close_after_days", "points_expiry_months", "leaderboard_published", "leaderboard_show_names")

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if on_platform_host(request) or not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        row = incentive_settings()
        return redirect(reverse("admin:incentives_incentivesettings_change", args=[row.pk]))
