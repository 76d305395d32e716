"""Writing training: courses are checked before they are published, lessons are sanitised or checked by content,
attempts are scored and recorded, passing earns (or renews) a certification, and who may take a course follows the
same audience condition as assets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from content.models import Attempt, Certification, LessonProgress
from content.services import (
    attempt_submit,
    course_create,
    course_publish,
    course_update,
    lesson_add,
    lesson_complete,
    lesson_remove,
    lessons_reorder,
    question_add,
    question_choices_set,
)
from prm.errors import InvalidInput, StateConflict
from prm.files.inspection import UploadRejected
from prm.tenancy.context import tenant_context
from tests.content.training_factories import (
    ChoiceFactory,
    CourseFactory,
    LessonFactory,
    QuestionFactory,
    half_right_answers,
    partner_in,
    quiz_course,
    right_answers,
    wrong_answers,
)
from tests.factories import ProgramFactory, TierFactory, partner_member
from tests.mdf.proof_files import PDF

pytestmark = pytest.mark.django_db


def test_a_course_is_published_only_with_a_lesson_and_a_valid_quiz(tenant_a, member):
    actor = member(tenant_a).user
    with tenant_context(tenant_a):
        course = course_create(actor=actor, title="Selling 101", certification_title="Seller", pass_mark=80)
        assert not course.is_published
        with pytest.raises(InvalidInput) as refused:
            course_publish(actor=actor, course=course)
        assert set(refused.value.fields) == {"lessons", "certification_title"}
        lesson_add(actor=actor, course=course, kind="article", title="Intro", body="<p>Hi</p>")
        question = question_add(actor=actor, course=course, text="Pick", kind="single")
        question_choices_set(actor=actor, question=question, choices=[("A", True), ("B", True)])
        with pytest.raises(InvalidInput) as refused:
            course_publish(actor=actor, course=course)
        assert refused.value.fields["questions"] == ["Question 1 is single choice: mark exactly one choice correct."]
        question_choices_set(actor=actor, question=question, choices=[("A", True), ("B", False)])
        assert course_publish(actor=actor, course=course).is_published
        # a published course keeps a valid quiz and a lesson
        with pytest.raises(InvalidInput):
            question_choices_set(actor=actor, question=question, choices=[("A", True)])
        with pytest.raises(StateConflict):
            lesson_remove(actor=actor, lesson=course.lessons.get())


def test_restrictions_name_only_the_vendors_programs_and_tiers(tenant_a, tenant_b, member):
    actor = member(tenant_a).user
    foreign_program = ProgramFactory(tenant=tenant_b)
    foreign_tier = TierFactory(tenant=tenant_b)
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as refused:
            course_create(
                actor=actor,
                title="X",
                visible_program_ids=[foreign_program.pk],
                visible_tier_ids=[foreign_tier.pk],
            )
        assert set(refused.value.fields) == {"visible_program_ids", "visible_tier_ids"}
        course_create(actor=actor, title="Y")
        with pytest.raises(InvalidInput) as refused:
            course_create(actor=actor, title="Y")
        assert "title" in refused.value.fields


def test_article_lessons_are_sanitised_and_files_checked_by_content(tenant_a, member):
    actor = member(tenant_a).user
    with tenant_context(tenant_a):
        course = CourseFactory(tenant=tenant_a, is_published=False)
        article = lesson_add(
            actor=actor, course=course, kind="article", title="A", body="<script>alert(1)</script><p>Hi</p>"
        )
        assert article.body == "<p>Hi</p>"
        with pytest.raises(InvalidInput) as refused:
            lesson_add(actor=actor, course=course, kind="video", title="V")
        assert "url" in refused.value.fields
        video = lesson_add(actor=actor, course=course, kind="video", title="V", url="https://video.example/1")
        upload = SimpleUploadedFile("../../guide.exe", PDF, content_type="application/x-msdownload")
        pdf = lesson_add(actor=actor, course=course, kind="file", title="F", upload=upload)
        assert pdf.file.name.startswith(f"lessons/{tenant_a.pk}/") and pdf.file.name.endswith(".pdf")
        assert (pdf.original_name, pdf.content_type) == ("guide.pdf", "application/pdf")
        with pytest.raises(UploadRejected) as rejected:
            lesson_add(
                actor=actor, course=course, kind="file", title="G", upload=SimpleUploadedFile("x.pdf", b"MZ\x90 nope")
            )
        assert rejected.value.status == 415
        assert [lesson.pk for lesson in course.lessons.order_by("position")] == [article.pk, video.pk, pdf.pk]
        lessons_reorder(actor=actor, course=course, lesson_ids=[pdf.pk, article.pk, video.pk])
        assert [lesson.pk for lesson in course.lessons.order_by("position")] == [pdf.pk, article.pk, video.pk]
        with pytest.raises(InvalidInput):
            lessons_reorder(actor=actor, course=course, lesson_ids=[pdf.pk])


def test_lesson_complete_is_idempotent(tenant_a, member):
    user = member(tenant_a).user
    lesson = LessonFactory(course=CourseFactory(tenant=tenant_a))
    with tenant_context(tenant_a):
        lesson_complete(user=user, lesson=lesson)
        lesson_complete(user=user, lesson=lesson)
        assert LessonProgress.objects.filter(user=user).count() == 1


def test_passing_earns_a_certification_and_failing_does_not(tenant_a):
    course, ids = quiz_course(tenant_a, pass_mark=100, certification_months=1)
    partner = partner_in(tenant_a)
    user = partner_member(partner).user
    with tenant_context(tenant_a):
        failed = attempt_submit(course=course, user=user, partner=partner, answers=half_right_answers(ids))
        assert (failed.attempt.correct, failed.attempt.total, failed.attempt.score) == (1, 2, Decimal("50.00"))
        assert not failed.attempt.passed and failed.certification is None
        passed = attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids))
        certification = passed.certification
        assert passed.attempt.passed and passed.attempt.score == Decimal("100.00")
        assert certification.status == "active" and certification.partner == partner
        assert certification.title == course.certification_title
        assert certification.earned_at == passed.attempt.submitted_at
        assert certification.expires_at.month != certification.earned_at.month
        assert Attempt.objects.filter(user=user).count() == 2


def test_passing_again_renews_the_active_certification(tenant_a):
    course, ids = quiz_course(tenant_a)
    partner = partner_in(tenant_a)
    user = partner_member(partner).user
    with tenant_context(tenant_a):
        first = attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids)).certification
        second = attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids)).certification
        first.refresh_from_db()
        assert (first.status, first.ended_at) == ("renewed", second.earned_at)
        assert second.status == "active" and second.code != first.code
        assert Certification.objects.filter(user=user, status="active").count() == 1


def test_a_course_without_certification_or_for_vendor_staff_earns_nothing(tenant_a, member):
    course, ids = quiz_course(tenant_a, certification_title="")
    partner = partner_in(tenant_a)
    user = partner_member(partner).user
    staff = member(tenant_a).user
    draft, draft_ids = quiz_course(tenant_a, is_published=False)
    with tenant_context(tenant_a):
        assert (
            attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids)).certification is None
        )
        preview = attempt_submit(course=draft, user=staff, answers=right_answers(draft_ids))
        assert preview.attempt.passed and preview.attempt.partner is None and preview.certification is None
        assert not Certification.objects.exists()


def test_answers_naming_other_questions_or_skipping_one_are_refused(tenant_a):
    course, ids = quiz_course(tenant_a)
    other, other_ids = quiz_course(tenant_a)
    partner = partner_in(tenant_a)
    user = partner_member(partner).user
    with tenant_context(tenant_a):
        bad = {str(ids["single"]): [other_ids["single_right"]], str(ids["multi"]): ids["multi_right"]}
        with pytest.raises(InvalidInput) as refused:
            attempt_submit(course=course, user=user, partner=partner, answers=bad)
        assert f"answers.{ids['single']}" in refused.value.fields
        with pytest.raises(InvalidInput) as refused:
            attempt_submit(
                course=course, user=user, partner=partner, answers={str(ids["single"]): [ids["single_right"]]}
            )
        assert refused.value.fields == {f"answers.{ids['multi']}": [f"Answer question {ids['multi']}."]}
        with pytest.raises(InvalidInput):
            attempt_submit(course=course, user=user, partner=partner, answers={"x": ["y"]})
        with pytest.raises(InvalidInput):
            attempt_submit(course=course, user=user, partner=partner, answers=[1, 2])
        assert not Attempt.objects.exists()


def test_only_partners_the_course_is_for_may_take_it(tenant_a):
    gold = TierFactory(program=ProgramFactory(tenant=tenant_a))
    course, ids = quiz_course(tenant_a, visible_tier_ids=[gold.pk])
    draft, draft_ids = quiz_course(tenant_a, is_published=False)
    no_quiz = CourseFactory(tenant=tenant_a, certification_title="")
    outsider = partner_in(tenant_a, program=gold.program)
    insider = partner_in(tenant_a, program=gold.program, tier=gold)
    with tenant_context(tenant_a):
        with pytest.raises(Http404):
            attempt_submit(
                course=course, user=partner_member(outsider).user, partner=outsider, answers=right_answers(ids)
            )
        with pytest.raises(Http404):
            attempt_submit(
                course=draft, user=partner_member(insider).user, partner=insider, answers=right_answers(draft_ids)
            )
        with pytest.raises(StateConflict):
            attempt_submit(course=no_quiz, user=partner_member(insider).user, partner=insider, answers={})
        assert attempt_submit(
            course=course, user=partner_member(insider).user, partner=insider, answers=wrong_answers(ids)
        ).attempt.score == Decimal("0.00")


def test_course_update_keeps_a_published_course_publishable(tenant_a, member):
    actor = member(tenant_a).user
    course = CourseFactory(tenant=tenant_a)
    LessonFactory(course=course)
    question = QuestionFactory(course=course)
    ChoiceFactory(question=question, is_correct=True)
    ChoiceFactory(question=question)
    with tenant_context(tenant_a):
        updated = course_update(actor=actor, course=course, pass_mark=70, summary="New")
        assert (updated.pass_mark, updated.summary) == (70, "New")
        with pytest.raises(InvalidInput):
            course_update(actor=actor, course=course, pass_mark=0)


def test_certifications_can_be_earned_again_after_expiry(tenant_a):
    course, ids = quiz_course(tenant_a)
    partner = partner_in(tenant_a)
    user = partner_member(partner).user
    with tenant_context(tenant_a):
        first = attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids)).certification
        Certification.objects.filter(pk=first.pk).update(
            status="expired", ended_at=timezone.now(), expires_at=timezone.now() - timedelta(days=1)
        )
        second = attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids)).certification
        assert second.status == "active"
        first.refresh_from_db()
        assert first.status == "expired"
