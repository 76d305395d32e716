"""Admin: training. Courses with their lessons and quiz questions inline (choices on each question's own page),
written through the services: a published course stays valid, publishing checks lessons and quiz. Attempts and
certifications are read-only records."""

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantInlineMixin, TenantModelAdmin, report_domain_error, run_for_each

from ..models import Attempt, Certification, Choice, Course, Lesson, Question
from ..services import (
    course_create,
    course_publish,
    course_unpublish,
    course_update,
    course_validate,
    lesson_add,
    lesson_remove,
    lesson_update,
    question_add,
    question_choices_set,
    question_remove,
    question_update,
)
from ..services.training import COURSE_FIELDS, LESSON_FIELDS, QUESTION_FIELDS

MANAGE, VIEW_ALL = "content.manage", "content.view_all"


class ManagedInline(TenantInlineMixin):
    view_capability = VIEW_ALL
    change_capability = MANAGE


class ManagedAdmin(TenantModelAdmin):
    view_capability = VIEW_ALL
    change_capability = MANAGE


class LessonForm(forms.ModelForm):
    url = forms.URLField(label=_("video link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Lesson
        fields = ("position", "title", "kind", "body", "url", "file", "minutes")


class LessonInline(ManagedInline, admin.StackedInline):
    model = Lesson
    form = LessonForm
    fields = ("position", "title", "kind", "body", "url", "file", "minutes")
    extra = 0
    ordering = ("position", "pk")


class QuestionInline(ManagedInline, admin.TabularInline):
    model = Question
    fields = ("position", "text", "kind", "explanation", "choices_link")
    readonly_fields = ("choices_link",)
    extra = 0
    ordering = ("position", "pk")

    @admin.display(description=_("answer choices"))
    def choices_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:content_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the choices"))


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            course_validate(self.instance)
        except DomainError as error:
            form_error_fields(self, error)


@admin.register(Course)
class CourseAdmin(ManagedAdmin):
    form = CourseForm
    list_display = ("title", "stage", "language", "pass_mark", "certification_title", "lessons", "is_published")
    list_filter = ("is_published", "stage", "language")
    search_fields = ("title",)
    inlines = [LessonInline, QuestionInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lesson_count=Count("lessons"))

    @admin.display(description=_("lessons"), ordering="lesson_count")
    def lessons(self, obj):
        return obj.lesson_count

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in COURSE_FIELDS if name in form.cleaned_data}
        try:
            if change:
                changed = {name: values[name] for name in form.changed_data if name in values}
                course_update(actor=request.user, course=obj, **changed)
            else:
                created = course_create(actor=request.user, **values)
                obj.pk, obj.tenant_id = created.pk, created.tenant_id
                obj._state.adding = False
        except DomainError as error:
            report_domain_error(self, request, error)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if form.instance.pk is None:
            return
        course = Course.objects.get(pk=form.instance.pk)
        for row in formset.forms:
            data = row.cleaned_data
            if not data or (not row.has_changed() and row.instance.pk):
                continue
            try:
                if formset.model is Lesson:
                    self._save_lesson(request, course, row, data)
                else:
                    self._save_question(request, course, row, data)
            except DomainError as error:
                report_domain_error(self, request, error)

    def _save_lesson(self, request, course, row, data):
        upload = data.get("file") if isinstance(data.get("file"), UploadedFile) else None
        values = {name: data[name] for name in LESSON_FIELDS if name in data}
        if data.get("DELETE") and row.instance.pk:
            lesson_remove(actor=request.user, lesson=row.instance)
        elif row.instance.pk:
            lesson_update(actor=request.user, lesson=row.instance, upload=upload, **values)
        elif not data.get("DELETE"):
            values = {name: value for name, value in values.items() if name != "title"}
            lesson_add(
                actor=request.user, course=course, kind=data["kind"], title=data["title"], upload=upload, **values
            )

    def _save_question(self, request, course, row, data):
        values = {name: data[name] for name in QUESTION_FIELDS if name in data}
        if data.get("DELETE") and row.instance.pk:
            question_remove(actor=request.user, question=row.instance)
        elif row.instance.pk:
            question_update(actor=request.user, question=row.instance, **values)
        elif not data.get("DELETE"):
            values = {name: value for name, value in values.items() if name not in ("text", "kind")}
            question_add(actor=request.user, course=course, text=data["text"], kind=data["kind"], **values)

    @admin.action(description=_("Publish selected courses"), permissions=["change"])
    def publish(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda course: course_publish(actor=request.user, course=course),
            done_message=lambda n: ngettext("%(count)d course published.", "%(count)d courses published.", n),
            level=messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected courses"), permissions=["change"])
    def unpublish(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda course: course_unpublish(actor=request.user, course=course),
            done_message=lambda n: ngettext("%(count)d course unpublished.", "%(count)d courses unpublished.", n),
            level=messages.SUCCESS,
        )


class ChoiceInline(ManagedInline, admin.TabularInline):
    model = Choice
    fields = ("position", "text", "is_correct")
    extra = 2
    ordering = ("position", "pk")


@admin.register(Question)
class QuestionAdmin(ManagedAdmin):
    list_display = ("text_start", "course", "kind", "position", "choice_count")
    list_filter = ("kind", "course")
    list_select_related = ("course",)
    search_fields = ("text",)
    fields = ("course", "position", "text", "kind", "explanation")
    readonly_fields = ("course",)
    inlines = [ChoiceInline]

    def has_add_permission(self, request, *args):
        return False  # questions are added on their course's page

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_total=Count("choices"))

    @admin.display(description=_("question"), ordering="text")
    def text_start(self, obj):
        return str(obj)

    @admin.display(description=_("answer choices"), ordering="choice_total")
    def choice_count(self, obj):
        return obj.choice_total

    def save_model(self, request, obj, form, change):
        self._values = {name: form.cleaned_data[name] for name in form.changed_data if name in QUESTION_FIELDS}

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        choices = [
            (row.cleaned_data["text"], row.cleaned_data.get("is_correct", False), row.cleaned_data.get("position", 0))
            for row in formset.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE") and row.cleaned_data.get("text")
        ]
        choices.sort(key=lambda choice: choice[2])
        question = Question.objects.get(pk=form.instance.pk)
        try:
            question = question_update(actor=request.user, question=question, **self._values)
            question_choices_set(
                actor=request.user, question=question, choices=[(text, correct) for text, correct, _p in choices]
            )
        except DomainError as error:
            report_domain_error(self, request, error)


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdminMixin, ManagedAdmin):
    list_display = ("course", "user", "partner", "score", "passed", "submitted_at")
    list_filter = ("passed", "course")
    list_select_related = ("course", "user", "partner")
    search_fields = ("user__email", "partner__name", "course__title")
    date_hierarchy = "submitted_at"
    fields = (
        "course",
        "user",
        "partner",
        "answers",
        "correct",
        "total",
        "score",
        "pass_mark",
        "passed",
        "submitted_at",
    )
    readonly_fields = fields


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdminMixin, ManagedAdmin):
    list_display = ("code", "title", "user", "partner", "status", "earned_at", "expires_at", "reminded_at")
    list_filter = ("status", "course", "partner")
    list_select_related = ("user", "partner")
    search_fields = ("code", "user__email")
    date_hierarchy = "earned_at"
    fields = (
        "code", "title", "course", "user", "partner", "attempt", "status", "earned_at", "expires_at", "reminded_at",
        "ended_at",
    )  # fmt: skip
    readonly_fields = fields
