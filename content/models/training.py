from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .assets import Stage
from .audience import Targeted


class Course(Targeted, TenantOwned):
    """A course of ordered lessons and a quiz. Passing the quiz completes the course and, when the course names a
    certification, earns it (valid for `certification_months`, or for good when empty). Who may take it follows the
    same restrictions as assets."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    certification_title = models.CharField(_("certification earned"), max_length=200, blank=True)
    certification_months = models.PositiveSmallIntegerField(
        _("certification valid for (months)"), null=True, blank=True, default=24
    )
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "title", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "title"], name="content_course_title_unique"),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100), name="content_course_pass_mark_range"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "is_published", "stage"], name="content_course_stage_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def grants_certification(self) -> bool:
        return bool(self.certification_title)


class LessonKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video link")
    FILE = "file", _("File")


class Lesson(TenantOwned):
    """One lesson of a course, in order: an article written in the portal (sanitised HTML), a video link or a file
    (checked by content like every upload, served by an authorising view)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons", db_index=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    body = models.TextField(_("article"), blank=True)
    url = models.URLField(_("video link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="lessons", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)

    class Meta:
        ordering = ["course", "position", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["tenant", "course", "position"], name="content_lesson_course_idx")]

    def __str__(self) -> str:
        return self.title


class LessonProgress(TenantOwned):
    """A person has gone through a lesson (the course page shows progress)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "lesson"], name="content_lesson_progress_unique")
        ]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class Question(TenantOwned):
    """A quiz question of a course. A single-choice question has exactly one correct choice; a multiple-choice one
    at least one, and an answer scores only when it picks exactly the correct choices."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions", db_index=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    explanation = models.TextField(_("explanation (shown after the attempt)"), blank=True)

    class Meta:
        ordering = ["course", "position", "pk"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        indexes = [models.Index(fields=["tenant", "course", "position"], name="content_question_course_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(TenantOwned):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", db_index=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        indexes = [models.Index(fields=["tenant", "question", "position"], name="content_choice_question_idx")]

    def __str__(self) -> str:
        return self.text


class Attempt(TenantOwned):
    """One submitted quiz attempt, scored when submitted: the answers given ({question id: [choice ids]}), how many
    were right, the score in percent and whether it reached the course's pass mark at the time."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attempts", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    answers = models.JSONField(_("answers"), default=dict)
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        indexes = [
            models.Index(fields=["tenant", "course", "user"], name="content_attempt_course_idx"),
            models.Index(fields=["tenant", "partner", "passed", "submitted_at"], name="content_attempt_partner_idx"),
        ]


class Certification(TenantOwned):
    """A certification a person earned by passing a course, with its certificate code. It expires at `expires_at`
    (a beat task marks it expired and reminds the holder 30 days before); passing the course again while holding it
    renews it: the old one is marked renewed and a new one starts."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        RENEWED = "renewed", _("Renewed")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certifications", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    attempt = models.ForeignKey(Attempt, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False)
    title = models.CharField(_("certification"), max_length=200)
    code = models.CharField(_("certificate number"), max_length=16)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    earned_at = models.DateTimeField(_("earned"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)
    ended_at = models.DateTimeField(_("expired or renewed"), null=True, blank=True)

    class Meta:
        ordering = ["-earned_at", "-pk"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="content_certification_code_unique"),
            models.UniqueConstraint(
                fields=["tenant", "course", "user"],
                condition=models.Q(status="active"),
                name="content_certification_one_active",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "partner", "status"], name="content_cert_partner_idx"),
            models.Index(fields=["tenant", "status", "expires_at"], name="content_cert_expiry_idx"),
            models.Index(fields=["tenant", "user", "status"], name="content_cert_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"
