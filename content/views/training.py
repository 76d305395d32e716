"""Portal pages: training. Partners browse the courses meant for them (with their progress, passes and
certifications), go through the lessons in order (articles, video links, files served only through the authorising
download view), take the quiz and see which answers were right; certificates are printable pages seen by the
holder, the holder's partner admins and the vendor's staff. The vendor's staff preview every course and see one
overview of attempts, pass rates and certified people."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError
from prm.files.responses import attachment_response

from ..models import Attempt, Certification, Lesson, LessonKind
from ..selectors import (
    as_quiz_question,
    attempts_visible_to,
    catalogue_for,
    certification_totals,
    certifications_visible_to,
    course_questions,
    courses_overview,
    courses_visible_to,
    lessons_with_progress,
    request_training_partner,
)
from ..services import attempt_submit, lesson_complete
from ..training_rules import answer_is_correct

PAGE_SIZE = 25
VIEW_ALL, USE = "content.view_all", "content.use"


def training_required(view):
    """Signed-in members who take courses (partner users) or oversee them (the vendor's staff); 403 otherwise."""

    @member_required
    def wrapped(request, *args, **kwargs):
        if not (request_can(request, USE) or request_can(request, VIEW_ALL)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@training_required
@require_GET
def catalogue(request):
    """The courses the person may take, with lessons done, passed and the certification held."""
    courses = catalogue_for(courses_visible_to(request), user=request.user)
    return render(
        request,
        "content/training/catalogue.html",
        {"page": _page(request, courses), "vendor": request_can(request, VIEW_ALL)},
    )


def _course(request, pk: int):
    return get_object_or_404(courses_visible_to(request), pk=pk)


@training_required
@require_GET
def course_detail(request, pk: int):
    course = _course(request, pk)
    lessons = list(lessons_with_progress(course, user=request.user))
    attempts = list(Attempt.objects.filter(course=course, user=request.user).order_by("-submitted_at", "-pk")[:5])
    certification = (
        Certification.objects.filter(course=course, user=request.user, status=Certification.Status.ACTIVE)
        .only("pk", "code", "expires_at")
        .first()
    )
    return render(
        request,
        "content/training/course.html",
        {
            "course": course,
            "lessons": lessons,
            "done": sum(lesson.done for lesson in lessons),
            "has_quiz": course.questions.exists(),
            "attempts": attempts,
            "certification": certification,
            "vendor": request_can(request, VIEW_ALL),
        },
    )


def _lesson(request, pk: int) -> Lesson:
    return get_object_or_404(
        Lesson.objects.filter(course__in=courses_visible_to(request)).select_related("course"), pk=pk
    )


@training_required
@require_POST
def lesson_done(request, pk: int):
    lesson = _lesson(request, pk)
    lesson_complete(user=request.user, lesson=lesson)
    messages.success(request, _("“%(title)s” is marked as done.") % {"title": lesson.title})
    return redirect(f"{reverse('content:training-course', args=[lesson.course_id])}#lesson-{lesson.pk}")


@training_required
@require_GET
def lesson_file(request, pk: int):
    """A file lesson's file, to the people who may take its course (404 for anyone else, or a lesson without one)."""
    lesson = _lesson(request, pk)
    if lesson.kind != LessonKind.FILE or not lesson.file:
        raise Http404
    return attachment_response(lesson.file, filename=lesson.original_name, content_type=lesson.content_type)


def _chosen(request, questions) -> dict[str, list[str]]:
    return {str(question.pk): request.POST.getlist(f"q{question.pk}") for question in questions}


@training_required
@require_http_methods(["GET", "POST"])
def quiz(request, pk: int):
    """The quiz as a form. Unanswered questions are listed and the answers given stay selected."""
    course = _course(request, pk)
    questions = list(course_questions(course))
    if not questions:
        raise Http404
    chosen, errors, status = {}, {}, 200
    if request.method == "POST":
        chosen = _chosen(request, questions)
        try:
            result = attempt_submit(
                course=course, user=request.user, partner=request_training_partner(request), answers=chosen
            )
        except DomainError as error:
            errors, status = error.fields, error.status
            messages.error(request, error.message)
        else:
            return redirect("content:training-attempt", pk=result.attempt.pk)
    rows = [
        {
            "question": question,
            "chosen": {int(c) for c in chosen.get(str(question.pk), []) if c.isdigit()},
            "errors": errors.get(f"answers.{question.pk}", []),
        }
        for question in questions
    ]
    unanswered = [number for number, row in enumerate(rows, start=1) if request.method == "POST" and not row["chosen"]]
    return render(
        request,
        "content/training/quiz.html",
        {"course": course, "rows": rows, "unanswered": unanswered},
        status=status,
    )


@training_required
@require_GET
def attempt_detail(request, pk: int):
    """An attempt's result: score, pass or fail, and per question whether it was right, with the explanation."""
    attempt = get_object_or_404(attempts_visible_to(request), pk=pk)
    questions = list(course_questions(attempt.course))
    rows = []
    for question in questions:
        chosen = frozenset(attempt.answers.get(str(question.pk), []))
        right = answer_is_correct(as_quiz_question(question), chosen)
        rows.append({"question": question, "chosen": chosen, "right": right})
    certification = Certification.objects.filter(attempt=attempt).first()
    return render(
        request,
        "content/training/attempt.html",
        {"attempt": attempt, "course": attempt.course, "rows": rows, "certification": certification},
    )


@training_required
@require_GET
def certification_list(request):
    """The person's certifications (a partner admin: the company's people's too; the vendor's staff: all)."""
    certifications = certifications_visible_to(request).order_by("-earned_at", "-pk")
    return render(
        request,
        "content/training/certifications.html",
        {"page": _page(request, certifications), "now": timezone.now()},
    )


@member_required
@require_GET
def certificate(request, pk: int):
    """A printable certificate: to the holder, the holder's partner admins and the vendor's staff; 404 otherwise."""
    certification = get_object_or_404(certifications_visible_to(request), pk=pk)
    return render(request, "content/training/certificate.html", {"certification": certification})


@capability_required(VIEW_ALL)
@require_GET
def overview(request):
    """Every course with attempts, pass rate, certified people and certifications expiring within 30 days."""
    courses = courses_overview()
    context = {"page": _page(request, courses), "totals": certification_totals()}
    return render(request, "content/training/overview.html", context)


urlpatterns = [
    path("training/", catalogue, name="training-catalogue"),
    path("training/overview/", overview, name="training-overview"),
    path("training/courses/<int:pk>/", course_detail, name="training-course"),
    path("training/courses/<int:pk>/quiz/", quiz, name="training-quiz"),
    path("training/lessons/<int:pk>/done/", lesson_done, name="training-lesson-done"),
    path("training/lessons/<int:pk>/file/", lesson_file, name="training-lesson-file"),
    path("training/attempts/<int:pk>/", attempt_detail, name="training-attempt"),
    path("training/certifications/", certification_list, name="training-certifications"),
    path("training/certifications/<int:pk>/", certificate, name="training-certificate"),
]
