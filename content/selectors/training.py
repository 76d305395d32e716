"""Reads of training: which courses a person may take (the same audience condition as assets), their progress,
attempts and certifications, and the vendor's overview.

- The vendor's staff (`content.view_all`) see every course, drafts too (to preview them), every attempt and every
  certification.
- A partner's users (`content.use`) see the published courses whose restrictions match their company; their own
  attempts; certifications: a partner admin those of the company's people, a rep their own.
- Anyone else sees no course.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.permissions import request_partner
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from ..models import Attempt, Certification, Choice, Course, Lesson, LessonProgress, Question
from ..training_rules import REMINDER_DAYS, QuizQuestion
from .visibility import audience_condition

VIEW_ALL, USE = "content.view_all", "content.use"


def courses_for_partner(partner) -> QuerySet[Course]:
    return Course.objects.filter(Q(is_published=True) & audience_condition(partner))


def request_training_partner(request):
    """The partner a partner user takes courses for; None for vendor staff and anyone else."""
    return request_partner(request) if request_can(request, USE) else None


def courses_visible_to(request) -> QuerySet[Course]:
    if request_can(request, VIEW_ALL):
        return Course.objects.all()
    partner = request_training_partner(request)
    if partner is None:
        return Course.objects.none()
    return courses_for_partner(partner)


def course_questions(course: Course) -> QuerySet[Question]:
    return Question.objects.filter(course=course).prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    )


def as_quiz_question(question: Question) -> QuizQuestion:
    """A question (with its choices prefetched) as the scoring rule reads it."""
    choices = question.choices.all()
    return QuizQuestion(
        id=question.pk,
        kind=question.kind,
        choice_ids=frozenset(choice.pk for choice in choices),
        correct_ids=frozenset(choice.pk for choice in choices if choice.is_correct),
    )


def course_quiz(course: Course) -> list[QuizQuestion]:
    """The course's questions as the scoring rule reads them (one query)."""
    return [as_quiz_question(question) for question in course_questions(course)]


def certification_totals() -> dict[str, int]:
    """How many certifications are active and how many expired (the training overview's headline)."""
    return Certification.objects.aggregate(
        active=Count("pk", filter=Q(status=Certification.Status.ACTIVE)),
        expired=Count("pk", filter=Q(status=Certification.Status.EXPIRED)),
    )


def lessons_with_progress(course: Course, *, user) -> QuerySet[Lesson]:
    """The course's lessons in order, each with `done` for `user`."""
    done = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=user)
    return Lesson.objects.filter(course=course).annotate(done=Exists(done)).order_by("position", "pk")


def catalogue_for(courses: QuerySet[Course], *, user) -> QuerySet[Course]:
    """Courses with the person's progress: lessons, lessons done, whether they passed, and their active
    certification's expiry (`held_until`, `holds`)."""
    lessons = Lesson.objects.filter(course=OuterRef("pk")).values("course")
    done = LessonProgress.objects.filter(lesson__course=OuterRef("pk"), user=user).values("lesson__course")
    active = Certification.objects.filter(course=OuterRef("pk"), user=user, status=Certification.Status.ACTIVE)
    return courses.annotate(
        lesson_count=Coalesce(Subquery(lessons.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        lessons_done=Coalesce(Subquery(done.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        passed=Exists(Attempt.objects.filter(course=OuterRef("pk"), user=user, passed=True)),
        holds=Exists(active),
        held_until=Subquery(active.values("expires_at")[:1]),
    ).order_by("position", "title", "pk")


def attempts_visible_to(request) -> QuerySet[Attempt]:
    """Vendor staff: every attempt; anyone else: their own."""
    attempts = Attempt.objects.select_related("course", "user", "partner")
    if request_can(request, VIEW_ALL):
        return attempts
    return attempts.filter(user=request.user) if request.user.is_authenticated else attempts.none()


def certifications_visible_to(request) -> QuerySet[Certification]:
    """Vendor staff: all; a partner admin: those earned for the company; a rep (or anyone else): their own."""
    certifications = Certification.objects.select_related("course", "user", "partner")
    if request_can(request, VIEW_ALL):
        return certifications
    partner = request_training_partner(request)
    if partner is not None and request_role(request) == Role.PARTNER_ADMIN:
        return certifications.filter(Q(partner=partner) | Q(user=request.user))
    return certifications.filter(user=request.user) if request.user.is_authenticated else certifications.none()


def courses_overview(*, now: datetime | None = None) -> QuerySet[Course]:
    """Every course with its attempts, passes, pass rate's parts, distinct people holding an active certification
    and active certifications expiring within the reminder window (one query)."""
    now = now or timezone.now()
    attempts = Attempt.objects.filter(course=OuterRef("pk")).values("course")
    certs = Certification.objects.filter(course=OuterRef("pk"), status=Certification.Status.ACTIVE).values("course")
    return Course.objects.annotate(
        attempt_count=Coalesce(Subquery(attempts.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        pass_count=Coalesce(Subquery(attempts.filter(passed=True).annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        certified_count=Coalesce(Subquery(certs.annotate(n=Count("user", distinct=True)).values("n")[:1]), Value(0)),
        expiring_count=Coalesce(
            Subquery(
                certs.filter(expires_at__gt=now, expires_at__lte=now + timedelta(days=REMINDER_DAYS))
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            Value(0),
        ),
    ).order_by("position", "title", "pk")


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def certified_people_condition(as_of: date | None) -> Q:
    """Certifications held at the end of `as_of` (today when None): earned by then, not expired by then, and not
    ended (expired or renewed) by then."""
    moment = _end_of(as_of or timezone.localdate())
    return (
        Q(earned_at__lt=moment)
        & (Q(expires_at__isnull=True) | Q(expires_at__gte=moment))
        & (Q(ended_at__isnull=True) | Q(ended_at__gte=moment))
    )


def certified_people_count(partners, *, as_of: date | None = None):
    """`partners` annotated with `metric_value`: distinct people holding a certification earned for that partner
    at the end of `as_of` (one query for the whole queryset)."""
    held = Certification.objects.filter(certified_people_condition(as_of), partner=OuterRef("pk")).values("partner")
    return partners.order_by().annotate(
        metric_value=Coalesce(
            Subquery(held.annotate(n=Count("user", distinct=True)).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        )
    )
