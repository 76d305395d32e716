"""Programs with their onboarding checklist, agreement versions and acceptances (tenant admins change;
every vendor role reads). Writes go through the partners services."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantInlineMixin, TenantModelAdmin, report_domain_error

from ..models import Agreement, AgreementAcceptance, ChecklistStepTemplate, Program
from ..services.agreements import (
    agreement_draft_create,
    agreement_draft_delete,
    agreement_draft_update,
    agreement_publish,
)
from ..services.programs import (
    PROGRAM_FIELDS,
    STEP_FIELDS,
    checklist_step_add,
    checklist_step_remove,
    checklist_step_update,
    program_create,
    program_update,
    program_validate,
)
from ..step_kinds import step_kind_choices, step_subject_choices

MANAGE = "programs.manage"


class CapabilityInlineMixin(TenantInlineMixin):
    change_capability = MANAGE


class ChecklistStepForm(forms.ModelForm):
    # A callable, so step kinds registered by other apps appear without a restart of this module.
    kind = forms.ChoiceField(label=_("kind"), choices=step_kind_choices)
    subject = forms.ChoiceField(
        label=_("subject"),
        choices=step_subject_choices,
        required=False,
        help_text=_("For kinds about one thing (the course of “complete a course”); empty: any."),
    )

    class Meta:
        model = ChecklistStepTemplate
        fields = ["position", "kind", "subject", "title", "description", "is_required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 40})}


class ChecklistStepInline(CapabilityInlineMixin, admin.TabularInline):
    model = ChecklistStepTemplate
    form = ChecklistStepForm
    extra = 0
    ordering = ("position", "id")
    verbose_name = _("onboarding checklist step")
    verbose_name_plural = _("onboarding checklist")


class AgreementVersionInline(ReadOnlyAdminMixin, CapabilityInlineMixin, admin.TabularInline):
    """Read-only list of the versions; they are written and published on the agreement pages."""

    model = Agreement
    fields = ("version", "title", "published_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ("-version",)


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            program_validate(self.instance)
        except DomainError as error:
            form_error_fields(self, error)


@admin.register(Program)
class ProgramAdmin(TenantModelAdmin):
    change_capability = MANAGE
    form = ProgramForm
    list_display = ("name", "slug", "kind", "is_public", "onboarding_target_days", "steps", "position")
    list_filter = ("kind", "is_public")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ChecklistStepInline, AgreementVersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_count=Count("checklist"))

    @admin.display(description=_("checklist steps"), ordering="step_count")
    def steps(self, obj):
        return obj.step_count

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in PROGRAM_FIELDS if name in form.cleaned_data}
        try:
            if change:
                changed = {name: values[name] for name in form.changed_data if name in values}
                program_update(program=obj, actor=request.user, **changed)
            else:
                created = program_create(actor=request.user, **values)
                obj.pk, obj.tenant_id = created.pk, created.tenant_id
                obj._state.adding = False
        except DomainError as error:
            report_domain_error(self, request, error)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not ChecklistStepTemplate or form.instance.pk is None:
            return  # agreement versions are listed read-only here; a refused program has no checklist
        for step_form in formset.forms:
            data = step_form.cleaned_data
            if not data or (not step_form.has_changed() and step_form.instance.pk):
                continue
            values = {name: data[name] for name in STEP_FIELDS if name in data}
            try:
                if data.get("DELETE") and step_form.instance.pk:
                    checklist_step_remove(step=step_form.instance, actor=request.user)
                elif step_form.instance.pk:
                    checklist_step_update(step=step_form.instance, actor=request.user, **values)
                elif not data.get("DELETE"):
                    checklist_step_add(program=form.instance, actor=request.user, **values)
            except DomainError as error:
                report_domain_error(self, request, error)


@admin.register(Agreement)
class AgreementAdmin(TenantModelAdmin):
    """Draft → published. A published version is read-only; "new version" copies it into a draft."""

    change_capability = MANAGE
    list_display = ("title", "program", "version", "published_at", "accepted_by")
    list_filter = ("program",)
    search_fields = ("title",)
    actions = ["publish", "new_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program").annotate(acceptance_count=Count("acceptances"))

    @admin.display(description=_("acceptances"), ordering="acceptance_count")
    def accepted_by(self, obj):
        url = reverse("admin:partners_agreementacceptance_changelist")
        return format_html('<a href="{}?agreement__id__exact={}">{}</a>', url, obj.pk, obj.acceptance_count)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["program", "title", "body"]
        return ["program", "version", "title", "body", "published_at", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.published_at is not None:
            return self.get_fields(request, obj)
        return ("program", "version", "published_at", "created_at")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.published_at is None)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.published_at is None)

    def save_model(self, request, obj, form, change):
        try:
            if change:
                agreement_draft_update(
                    agreement=obj, actor=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
                )
            else:
                created = agreement_draft_create(
                    program=form.cleaned_data["program"],
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
                obj.pk, obj.tenant_id, obj.version = created.pk, created.tenant_id, created.version
                obj._state.adding = False
        except DomainError as error:
            report_domain_error(self, request, error)

    def delete_model(self, request, obj):
        try:
            agreement_draft_delete(agreement=obj, actor=request.user)
        except DomainError as error:
            report_domain_error(self, request, error)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def _each(self, request, queryset, action) -> int:
        done = 0
        for agreement in queryset:
            try:
                action(agreement)
                done += 1
            except DomainError as error:
                report_domain_error(self, request, error)
        return done

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        done = self._each(request, queryset, lambda a: agreement_publish(agreement=a, actor=request.user))
        if done:
            message = ngettext(
                "%(count)d version published; partner admins are asked to accept it at their next visit.",
                "%(count)d versions published; partner admins are asked to accept them at their next visit.",
                done,
            )
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("Start a new version from the selected one"), permissions=["change"])
    def new_version(self, request, queryset):
        done = self._each(
            request,
            queryset,
            lambda a: agreement_draft_create(program=a.program, actor=request.user, title=a.title, body=a.body),
        )
        if done:
            message = ngettext("%(count)d draft created.", "%(count)d drafts created.", done)
            self.message_user(request, message % {"count": done})


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdminMixin, TenantModelAdmin):
    """Who accepted which version for which partner, and when (append-only: read-only for everyone)."""

    list_display = ("partner", "agreement", "version", "user", "accepted_at", "ip_address")
    list_filter = ("agreement__program", "agreement")
    search_fields = ("partner__name", "user__email")
    date_hierarchy = "accepted_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "agreement__program", "user")

    @admin.display(description=_("version"), ordering="agreement__version")
    def version(self, obj):
        return obj.agreement.version
