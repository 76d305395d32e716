"""Business plans in the admin: the plan, its goals and QBR notes, written through the plan services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prm.errors import DomainError
from prm.tenancy.admin import TenantModelAdmin

from .. import services
from ..metrics import metric_choices
from ..models import BusinessPlan, BusinessPlanGoal, QbrNote
from .partners import CapabilityInlineMixin, ServiceErrorsMixin


class GoalInlineForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("Metric"), choices=metric_choices)

    class Meta:
        model = BusinessPlanGoal
        fields = ["metric", "target", "note"]

    def validate_unique(self):
        pass  # one goal per metric: setting it again replaces the target


class GoalInline(CapabilityInlineMixin, admin.TabularInline):
    model = BusinessPlanGoal
    form = GoalInlineForm
    extra = 1


class QbrNoteInline(CapabilityInlineMixin, admin.StackedInline):
    model = QbrNote
    fields = ("held_on", "notes", "author")
    readonly_fields = ("author",)
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # a review record is not rewritten afterwards; add a new note instead

    def has_delete_permission(self, request, obj=None):
        return False


class BusinessPlanForm(forms.ModelForm):
    class Meta:
        model = BusinessPlan
        fields = ["title", "period_start", "period_end", "summary"]  # + partner, from the admin at request time

    def validate_unique(self):
        pass  # the service refuses overlapping periods with its own message


@admin.register(BusinessPlan)
class BusinessPlanAdmin(ServiceErrorsMixin, TenantModelAdmin):
    form = BusinessPlanForm
    fields = ("partner", "title", "period_start", "period_end", "summary")
    view_capability = "partners.view_all"
    change_capability = "partners.manage"
    list_display = ("title", "partner", "period_start", "period_end", "created_by")
    list_select_related = ("partner", "created_by")
    search_fields = ("title", "partner__name")
    date_hierarchy = "period_start"
    inlines = [GoalInline, QbrNoteInline]

    def get_readonly_fields(self, request, obj=None):
        return ("partner",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("title", "period_start", "period_end", "summary") if name in data}
        try:
            if change:
                changed = {name: value for name, value in fields.items() if name in form.changed_data}
                if changed:
                    services.business_plan_update(plan=obj, actor=request.user, **changed)
            else:
                created = services.business_plan_create(partner=data["partner"], actor=request.user, **fields)
                obj.pk = created.pk
        except DomainError as error:
            self.report_refusal(request, error)

    def save_formset(self, request, form, formset, change):
        plan = BusinessPlan.objects.get(pk=form.instance.pk)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            data = inline_form.cleaned_data
            if not data or (not inline_form.has_changed() and not data.get("DELETE")):
                continue
            try:
                if formset.model is BusinessPlanGoal:
                    if data.get("DELETE"):
                        if inline_form.instance.pk:
                            services.business_plan_goal_remove(goal=inline_form.instance, actor=request.user)
                    else:
                        services.business_plan_goal_set(
                            plan=plan,
                            actor=request.user,
                            metric=data["metric"],
                            target=data["target"],
                            note=data["note"],
                        )
                elif formset.model is QbrNote and not inline_form.instance.pk:
                    services.qbr_note_add(plan=plan, actor=request.user, held_on=data["held_on"], notes=data["notes"])
            except DomainError as error:
                self.report_refusal(request, error)
