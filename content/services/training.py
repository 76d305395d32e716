"""Writes of training: courses (validated before they are published), lessons (articles sanitised, files checked by
content), quiz questions and their choices, lesson progress, quiz attempts (scored by `content.training_rules`)
with the certifications they earn or renew, and the daily expiry and reminder sweep.

Passing a course (a partner user's first pass and every later one) completes the partner's onboarding steps
"complete a course" for that course; the points feeds read attempts and certifications directly.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.selectors import unknown_program_and_tier_errors
from partners.services import onboarding_event_record
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.files.inspection import inspect_upload
from prm.files.names import download_name, private_name
from prm.notifications.services import notify

from ..models import Attempt, Certification, Choice, Course, Lesson, LessonKind, LessonProgress, Question
from ..sanitise import sanitise_article
from ..selectors.training import course_quiz, courses_for_partner
from ..training_feeds import COMPLETE_COURSE
from ..training_rules import (
    REMINDER_DAYS,
    answers_errors,
    certificate_code,
    certification_expiry,
    question_problem,
    quiz_score,
)
from .assets import MAX_FILE_BYTES

LESSON_FILE_KINDS = {"pdf", "pptx", "png", "jpeg", "mp4"}
COURSE_FIELDS = (
    "title", "summary", "language", "stage", "pass_mark", "certification_title", "certification_months", "position",
    "visible_program_ids", "visible_tier_ids", "visible_types", "visible_regions",
)  # fmt: skip
LESSON_FIELDS = ("title", "body", "url", "minutes", "position")
QUESTION_FIELDS = ("text", "kind", "explanation", "position")


def _full_clean(obj, errors: dict[str, list[str]], exclude=()) -> None:
    try:
        obj.full_clean(exclude=["tenant", *exclude, *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise InvalidInput.on_fields(errors)


# Courses ------------------------------------------------------------------------------------------------------


def _course_checked(course: Course) -> None:
    errors: dict[str, list[str]] = {}
    course.title = (course.title or "").strip()
    course.certification_title = (course.certification_title or "").strip()
    if Course.objects.filter(title=course.title).exclude(pk=course.pk).exists():
        errors["title"] = [_("A course with this title exists already.")]
    errors |= unknown_program_and_tier_errors(
        program_ids=course.visible_program_ids,
        tier_ids=course.visible_tier_ids,
        program_field="visible_program_ids",
        tier_field="visible_tier_ids",
    )
    _full_clean(course, errors, exclude=["created_by"])


def course_validate(course: Course) -> None:
    """Check a course's settings without saving (admin forms show the errors on their fields)."""
    _course_checked(course)
    if course.pk and course.is_published:
        _refuse_unpublishable(course)


def course_publish_errors(course: Course) -> dict[str, list[str]]:
    """Why `course` cannot be published (empty: it can): it needs a lesson; every quiz question needs valid
    choices; a course that grants a certification needs a quiz to earn it with."""
    errors: dict[str, list[str]] = {}
    if not Lesson.objects.filter(course=course).exists():
        errors["lessons"] = [_("Add at least one lesson.")]
    problems = []
    questions = Question.objects.filter(course=course).prefetch_related("choices")
    for number, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        problem = question_problem(
            kind=question.kind, choices=len(choices), correct=sum(choice.is_correct for choice in choices)
        )
        if problem is not None:
            problems.append(_question_message(problem, number))
    if problems:
        errors["questions"] = problems
    if course.grants_certification and not questions:
        errors["certification_title"] = [_("A course that grants a certification needs a quiz.")]
    return errors


def _question_message(problem: str, number: int) -> str:
    messages = {
        "too_few_choices": _("Question %(n)d needs at least two answer choices."),
        "single_needs_one_correct": _("Question %(n)d is single choice: mark exactly one choice correct."),
        "multiple_needs_a_correct": _("Question %(n)d is multiple choice: mark at least one choice correct."),
    }
    return messages[problem] % {"n": number}


def _refuse_unpublishable(course: Course) -> None:
    errors = course_publish_errors(course)
    if errors:
        raise InvalidInput(_("The course cannot be published yet."), fields=errors)


@transaction.atomic
def course_create(*, actor, **values) -> Course:
    """A draft course (publish it with `course_publish` once it has lessons and a valid quiz)."""
    course = Course(created_by=actor, **{key: value for key, value in values.items() if key in COURSE_FIELDS})
    _course_checked(course)
    course.save()
    audit_record(action="content.course_create", actor=actor, obj=course)
    return course


@transaction.atomic
def course_update(*, actor, course: Course, **values) -> Course:
    """Change a course's text, pass mark, certification or audience; a published course stays publishable."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    changes = {key: value for key, value in values.items() if key in COURSE_FIELDS}
    before = {key: str(getattr(course, key)) for key in changes}
    for key, value in changes.items():
        setattr(course, key, value)
    _course_checked(course)
    if course.is_published:
        _refuse_unpublishable(course)
    course.save()
    audit_record(
        action="content.course_update",
        actor=actor,
        obj=course,
        changes={key: [before[key], str(getattr(course, key))] for key in changes if before[key] != str(changes[key])},
    )
    return course


@transaction.atomic
def course_publish(*, actor, course: Course) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.is_published:
        _refuse_unpublishable(course)
        course.is_published = True
        course.save(update_fields=["is_published", "updated_at"])
        audit_record(action="content.course_publish", actor=actor, obj=course)
    return course


@transaction.atomic
def course_unpublish(*, actor, course: Course) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.is_published:
        course.is_published = False
        course.save(update_fields=["is_published", "updated_at"])
        audit_record(action="content.course_unpublish", actor=actor, obj=course)
    return course


def _lock_course(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


# Lessons ------------------------------------------------------------------------------------------------------


def _lesson_checked(lesson: Lesson, *, has_file: bool) -> None:
    """Kind by kind: an article needs its text (sanitised here), a video its link, a file its upload."""
    errors: dict[str, list[str]] = {}
    lesson.title = (lesson.title or "").strip()
    if lesson.kind == LessonKind.ARTICLE:
        lesson.body = sanitise_article(lesson.body or "")
        if not lesson.body:
            errors["body"] = [_("Write the article.")]
    elif lesson.body:
        errors["body"] = [_("Only an article lesson has a text.")]
    if lesson.kind == LessonKind.VIDEO and not lesson.url:
        errors["url"] = [_("Give the video's link.")]
    elif lesson.kind != LessonKind.VIDEO and lesson.url:
        errors["url"] = [_("Only a video lesson has a link.")]
    if lesson.kind == LessonKind.FILE and not has_file:
        errors["file"] = [_("Upload the file.")]
    elif lesson.kind != LessonKind.FILE and has_file:
        errors["file"] = [_("Only a file lesson takes a file.")]
    _full_clean(lesson, errors, exclude=["body", "file", "course"])


def _store_lesson_file(lesson: Lesson, upload) -> None:
    inspected = inspect_upload(upload, allowed=LESSON_FILE_KINDS, max_bytes=MAX_FILE_BYTES)
    lesson.original_name = download_name(getattr(upload, "name", ""), inspected.extension, fallback="lesson")
    lesson.content_type = inspected.content_type
    lesson.size = inspected.size
    upload.seek(0)
    lesson.file.save(private_name(str(lesson.tenant_id), inspected.extension), upload, save=False)


@transaction.atomic
def lesson_add(*, actor, course: Course, kind: str, title: str, upload=None, **values) -> Lesson:
    """A lesson at the end of the course (or at `position`): an article (sanitised), a video link or a file (checked
    by content like every upload: 413/415 otherwise; stored as `lessons/<tenant>/<random>.<ext>`)."""
    course = _lock_course(course)
    fields = {key: value for key, value in values.items() if key in LESSON_FIELDS}
    if fields.get("position") is None:
        last = Lesson.objects.filter(course=course).aggregate(last=Max("position"))["last"]
        fields["position"] = 0 if last is None else last + 1
    lesson = Lesson(course=course, tenant_id=course.tenant_id, kind=kind, title=title, **fields)
    _lesson_checked(lesson, has_file=upload is not None)
    if upload is not None:
        _store_lesson_file(lesson, upload)
    lesson.save()
    audit_record(action="content.lesson_add", actor=actor, obj=lesson, context={"course": course.pk, "kind": kind})
    return lesson


@transaction.atomic
def lesson_update(*, actor, lesson: Lesson, upload=None, **values) -> Lesson:
    """Change a lesson's title, text, link, length or place, or replace its file (not its kind)."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    for key, value in values.items():
        if key in LESSON_FIELDS:
            setattr(lesson, key, value)
    _lesson_checked(lesson, has_file=upload is not None or bool(lesson.file))
    if upload is not None:
        _store_lesson_file(lesson, upload)
    lesson.save()
    audit_record(action="content.lesson_update", actor=actor, obj=lesson, context={"fields": sorted(values)})
    return lesson


@transaction.atomic
def lessons_reorder(*, actor, course: Course, lesson_ids: list[int]) -> list[Lesson]:
    """Put the course's lessons in this order; the list must name each of its lessons once."""
    course = _lock_course(course)
    lessons = {lesson.pk: lesson for lesson in Lesson.objects.filter(course=course)}
    if sorted(lesson_ids) != sorted(lessons):
        raise InvalidInput.on_fields({"lessons": [_("List each lesson of the course exactly once.")]})
    for position, pk in enumerate(lesson_ids):
        lessons[pk].position = position
    Lesson.objects.bulk_update(lessons.values(), ["position"])
    audit_record(action="content.lessons_reorder", actor=actor, obj=course, context={"order": lesson_ids})
    return [lessons[pk] for pk in lesson_ids]


@transaction.atomic
def lesson_remove(*, actor, lesson: Lesson) -> None:
    """Remove a lesson; a published course keeps at least one."""
    course = _lock_course(lesson.course)
    if course.is_published and not Lesson.objects.filter(course=course).exclude(pk=lesson.pk).exists():
        raise StateConflict(_("A published course keeps at least one lesson."), current_state="published")
    audit_record(action="content.lesson_remove", actor=actor, obj=lesson, context={"course": course.pk})
    lesson.delete()


def lesson_complete(*, user, lesson: Lesson) -> LessonProgress:
    """`user` has gone through `lesson` (repeating it changes nothing)."""
    progress, _created = LessonProgress.objects.get_or_create(lesson=lesson, user=user)
    return progress


# Questions ----------------------------------------------------------------------------------------------------


def _question_checked(question: Question) -> None:
    question.text = (question.text or "").strip()
    question.explanation = (question.explanation or "").strip()
    _full_clean(question, {}, exclude=["course"])


def _refuse_breaking_published(course: Course) -> None:
    if course.is_published:
        errors = course_publish_errors(course)
        if errors:
            raise InvalidInput(_("A published course must keep a valid quiz."), fields=errors)


@transaction.atomic
def question_add(*, actor, course: Course, text: str, kind: str, choices=None, **values) -> Question:
    """A quiz question at the end of the quiz, with its choices [(text, is_correct)] (a published course's quiz
    must stay valid, so there they are required)."""
    course = _lock_course(course)
    fields = {key: value for key, value in values.items() if key in QUESTION_FIELDS}
    if fields.get("position") is None:
        last = Question.objects.filter(course=course).aggregate(last=Max("position"))["last"]
        fields["position"] = 0 if last is None else last + 1
    question = Question(course=course, tenant_id=course.tenant_id, text=text, kind=kind, **fields)
    _question_checked(question)
    question.save()
    if choices is not None:
        _choices_replace(question, choices)
    _refuse_breaking_published(course)
    audit_record(action="content.question_add", actor=actor, obj=question, context={"course": course.pk})
    return question


@transaction.atomic
def question_update(*, actor, question: Question, choices=None, **values) -> Question:
    """Change a question's text, kind, explanation or place, and (when given) replace its choices."""
    course = _lock_course(question.course)
    question = Question.objects.select_for_update().get(pk=question.pk)
    for key, value in values.items():
        if key in QUESTION_FIELDS:
            setattr(question, key, value)
    _question_checked(question)
    question.save()
    if choices is not None:
        _choices_replace(question, choices)
    _refuse_breaking_published(course)
    audit_record(action="content.question_update", actor=actor, obj=question, context={"fields": sorted(values)})
    return question


@transaction.atomic
def question_choices_set(*, actor, question: Question, choices: list[tuple[str, bool]]) -> list[Choice]:
    """Replace a question's answer choices with [(text, is_correct)], in order."""
    course = _lock_course(question.course)
    created = _choices_replace(question, choices)
    _refuse_breaking_published(course)
    audit_record(action="content.question_choices_set", actor=actor, obj=question, context={"choices": len(choices)})
    return created


def _choices_replace(question: Question, choices) -> list[Choice]:
    cleaned = [((text or "").strip(), bool(correct)) for text, correct in choices]
    if any(not text for text, _correct in cleaned):
        raise InvalidInput.on_fields({"choices": [_("Every answer choice needs a text.")]})
    if any(len(text) > 300 for text, _correct in cleaned):
        raise InvalidInput.on_fields({"choices": [_("Keep each answer choice under 300 characters.")]})
    Choice.objects.filter(question=question).delete()
    return Choice.objects.bulk_create(
        Choice(question=question, tenant_id=question.tenant_id, position=position, text=text, is_correct=correct)
        for position, (text, correct) in enumerate(cleaned)
    )


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    course = _lock_course(question.course)
    audit_record(action="content.question_remove", actor=actor, obj=question, context={"course": course.pk})
    question.delete()
    _refuse_breaking_published(course)


# Attempts and certifications ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    attempt: Attempt
    certification: Certification | None
    correct_question_ids: frozenset[int] = field(default_factory=frozenset)


def _parsed_answers(answers) -> dict[int, frozenset[int]]:
    """{question id: [choice ids]} as submitted (JSON keys are strings; a single id may come bare)."""
    if not isinstance(answers, dict):
        raise InvalidInput.on_fields({"answers": [_("Send the answers as {question id: [choice ids]}.")]})
    parsed = {}
    try:
        for key, value in answers.items():
            ids = value if isinstance(value, list | tuple | set | frozenset) else [value]
            parsed[int(key)] = frozenset(int(choice) for choice in ids if choice not in (None, ""))
    except (TypeError, ValueError) as error:
        raise InvalidInput.on_fields({"answers": [_("Question and choice ids are numbers.")]}) from error
    return parsed


def _answers_messages(codes: list[str]) -> dict[str, list[str]]:
    messages = {
        "unknown_question": _("Question %(id)s is not part of this quiz."),
        "unanswered": _("Answer question %(id)s."),
        "unknown_choice": _("An answer to question %(id)s is not one of its choices."),
        "one_choice": _("Question %(id)s takes one answer."),
    }
    fields: dict[str, list[str]] = {}
    for code in codes:
        kind, qid = code.split(":")
        fields.setdefault(f"answers.{qid}", []).append(messages[kind] % {"id": qid})
    return fields


@transaction.atomic
def attempt_submit(*, course: Course, user, partner=None, answers) -> AttemptResult:
    """Score `user`'s answers ({question id: [choice ids]}) and record the attempt.

    A partner user (`partner` given) may take a published course meant for the partner (404 otherwise); passing
    earns the course's certification (renewing an active one) and completes the partner's "complete a course"
    onboarding steps. The vendor's staff (`partner=None`) may take any course to preview it; their attempts are
    recorded but earn nothing. A course without a quiz has nothing to submit (409). Answers that skip a question,
    name another question's choices or pick several on a single-choice question are refused (400), nothing saved.
    """
    if partner is not None and not courses_for_partner(partner).filter(pk=course.pk).exists():
        raise Http404
    course = Course.objects.get(pk=course.pk)
    questions = course_quiz(course)
    if not questions:
        raise StateConflict(_("This course has no quiz to take."), current_state="no_quiz")
    parsed = _parsed_answers(answers)
    codes = answers_errors(questions, parsed)
    if codes:
        raise InvalidInput(_("Please answer every question with its own choices."), fields=_answers_messages(codes))
    result = quiz_score(questions, parsed, pass_mark=course.pass_mark)
    attempt = Attempt.objects.create(
        course=course,
        user=user,
        partner=partner,
        answers={str(qid): sorted(ids) for qid, ids in parsed.items()},
        correct=result.correct,
        total=result.total,
        score=result.score,
        pass_mark=course.pass_mark,
        passed=result.passed,
    )
    audit_record(
        action="content.attempt_submit",
        actor=user,
        obj=attempt,
        context={"course": course.pk, "score": str(result.score), "passed": result.passed},
    )
    certification = None
    if result.passed and partner is not None:
        if course.grants_certification:
            certification = _certification_earn(course=course, user=user, partner=partner, attempt=attempt)
        onboarding_event_record(
            partner=partner, kind=COMPLETE_COURSE, subject=str(course.pk), actor=user, note=f"course {course.pk}"
        )
    return AttemptResult(attempt=attempt, certification=certification, correct_question_ids=result.correct_question_ids)


def _certification_earn(*, course: Course, user, partner, attempt: Attempt) -> Certification:
    now = attempt.submitted_at
    _lock_course(course)  # two passes at once: the second waits, then renews the first one's certification
    held = (
        Certification.objects.select_for_update()
        .filter(course=course, user=user, status=Certification.Status.ACTIVE)
        .first()
    )
    if held is not None:
        # The renewed one ends the moment the new one starts (the points feed tells renewals apart by this).
        held.status, held.ended_at = Certification.Status.RENEWED, now
        held.save(update_fields=["status", "ended_at"])
    for _try in range(5):
        try:
            with transaction.atomic():
                certification = Certification.objects.create(
                    course=course,
                    user=user,
                    partner=partner,
                    attempt=attempt,
                    title=course.certification_title,
                    code=certificate_code(),
                    earned_at=now,
                    expires_at=certification_expiry(now, course.certification_months),
                )
            break
        except IntegrityError:  # a code already taken in this tenant: draw another
            continue
    else:
        raise StateConflict(_("No free certificate number was found; please try again."))
    audit_record(
        action="content.certification_renew" if held else "content.certification_earn",
        actor=user,
        obj=certification,
        context={"course": course.pk, "renewed": held.pk if held else None},
    )
    return certification


# Expiry and reminders -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    expired: list[int]
    reminded: list[int]


def _certificate_url(certification: Certification) -> str:
    return reverse("content:training-certificate", args=[certification.pk])


@transaction.atomic
def certifications_sweep(*, now: datetime | None = None) -> SweepResult:
    """Expire the active certifications whose expiry has passed (telling each holder), then remind, once, the
    holders of active certifications that expire within 30 days. A rerun sends nothing twice: expired ones are no
    longer active and reminded ones have `reminded_at`; a late run does not remind one that already expired."""
    now = now or timezone.now()
    due = list(
        Certification.objects.select_for_update(skip_locked=True)
        .select_related("user")
        .filter(status=Certification.Status.ACTIVE, expires_at__lte=now)
    )
    for certification in due:
        certification.status, certification.ended_at = Certification.Status.EXPIRED, now
        notify(
            users=[certification.user],
            title=_("Your certification “%(title)s” has expired") % {"title": certification.title},
            body=_("Take the course again to renew it."),
            url=_certificate_url(certification),
            email=True,
        )
    Certification.objects.bulk_update(due, ["status", "ended_at"])
    remind = list(
        Certification.objects.select_for_update(skip_locked=True)
        .select_related("user")
        .filter(
            status=Certification.Status.ACTIVE,
            reminded_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=REMINDER_DAYS),
        )
    )
    for certification in remind:
        certification.reminded_at = now
        notify(
            users=[certification.user],
            title=_("Your certification “%(title)s” expires on %(date)s")
            % {"title": certification.title, "date": timezone.localdate(certification.expires_at).isoformat()},
            body=_("Pass the course again before then to renew it."),
            url=_certificate_url(certification),
            email=True,
        )
    Certification.objects.bulk_update(remind, ["reminded_at"])
    if due or remind:
        audit_record(
            action="content.certifications_sweep",
            actor=None,
            context={"expired": [c.pk for c in due], "reminded": [c.pk for c in remind]},
        )
    return SweepResult(expired=[c.pk for c in due], reminded=[c.pk for c in remind])
