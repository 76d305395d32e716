"""Factories of training: courses with lessons and a quiz, as stored (publish through `content.services`)."""

import factory
from django.utils import timezone

from tests.factories import PartnerFactory, TenantFactory, TenantOwnedFactory


class CourseFactory(TenantOwnedFactory):
    """A published course for every partner, granting a 24-month certification."""

    class Meta:
        model = "content.Course"

    tenant = factory.SubFactory(TenantFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    pass_mark = 50
    certification_title = factory.LazyAttribute(lambda course: f"{course.title} certified")
    certification_months = 24
    is_published = True


class LessonFactory(TenantOwnedFactory):
    class Meta:
        model = "content.Lesson"

    course = factory.SubFactory(CourseFactory)
    tenant = factory.SelfAttribute("course.tenant")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    kind = "article"
    body = "<p>Read this.</p>"
    position = factory.Sequence(lambda n: n)


class QuestionFactory(TenantOwnedFactory):
    class Meta:
        model = "content.Question"

    course = factory.SubFactory(CourseFactory)
    tenant = factory.SelfAttribute("course.tenant")
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = "single"
    position = factory.Sequence(lambda n: n)


class ChoiceFactory(TenantOwnedFactory):
    class Meta:
        model = "content.Choice"

    question = factory.SubFactory(QuestionFactory)
    tenant = factory.SelfAttribute("question.tenant")
    text = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False
    position = factory.Sequence(lambda n: n)


class CertificationFactory(TenantOwnedFactory):
    class Meta:
        model = "content.Certification"

    course = factory.SubFactory(CourseFactory)
    tenant = factory.SelfAttribute("course.tenant")
    title = factory.SelfAttribute("course.certification_title")
    code = factory.Sequence(lambda n: f"TEST-{n:04d}")
    earned_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=365))


def quiz_course(tenant, **course_kwargs):
    """A published course with one lesson and a two-question quiz: a single-choice question (right answer
    `single_right`) and a multiple-choice one (right answers `multi_right`, a wrong one `multi_wrong`).
    Returns (course, ids) with the choice ids by name."""
    course = CourseFactory(tenant=tenant, **course_kwargs)
    LessonFactory(course=course)
    single = QuestionFactory(course=course, kind="single", explanation="Because the guide says so.")
    single_right = ChoiceFactory(question=single, is_correct=True)
    single_wrong = ChoiceFactory(question=single)
    multi = QuestionFactory(course=course, kind="multiple")
    multi_right = [ChoiceFactory(question=multi, is_correct=True), ChoiceFactory(question=multi, is_correct=True)]
    multi_wrong = ChoiceFactory(question=multi)
    ids = {
        "single": single.pk,
        "single_right": single_right.pk,
        "single_wrong": single_wrong.pk,
        "multi": multi.pk,
        "multi_right": [choice.pk for choice in multi_right],
        "multi_wrong": multi_wrong.pk,
    }
    return course, ids


def right_answers(ids) -> dict:
    return {str(ids["single"]): [ids["single_right"]], str(ids["multi"]): ids["multi_right"]}


def half_right_answers(ids) -> dict:
    return {str(ids["single"]): [ids["single_right"]], str(ids["multi"]): [ids["multi_right"][0]]}


def wrong_answers(ids) -> dict:
    return {str(ids["single"]): [ids["single_wrong"]], str(ids["multi"]): [ids["multi_wrong"]]}


def partner_in(tenant, **kwargs):
    """A partner of `tenant` in a program of the same tenant."""
    if "program" not in kwargs:
        kwargs["program__tenant"] = tenant
    return PartnerFactory(tenant=tenant, **kwargs)
