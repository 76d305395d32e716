"""Training admin: changelists in a fixed number of queries, courses with lessons and questions written through
the services (sanitised articles, errors shown), the publish action checks the course, choices are set on the
question's page, attempts and certifications are read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Course, Lesson, Question
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.content.training_factories import partner_in, quiz_course, right_answers
from tests.factories import MembershipFactory, partner_member

pytestmark = pytest.mark.django_db

COURSES, QUESTIONS = "/admin/content/course/", "/admin/content/question/"
ATTEMPTS, CERTIFICATIONS = "/admin/content/attempt/", "/admin/content/certification/"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _activity(tenant):
    from content.services import attempt_submit

    course, ids = quiz_course(tenant)
    partner = partner_in(tenant)
    with tenant_context(tenant):
        attempt_submit(course=course, user=partner_member(partner).user, partner=partner, answers=right_answers(ids))


def test_changelists_in_a_fixed_number_of_queries(tenant_a, django_assert_num_queries):
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user)
    _activity(tenant_a)
    urls = (COURSES, QUESTIONS, ATTEMPTS, CERTIFICATIONS)
    counts = {url: _queries(client, url) for url in urls}
    for _ in range(3):
        _activity(tenant_a)
    for url, count in counts.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    assert counts == {COURSES: 9, QUESTIONS: 10, ATTEMPTS: 12, CERTIFICATIONS: 13}


def _course_form(**values):
    data = {
        "title": "Admin course",
        "summary": "",
        "language": "en",
        "stage": "",
        "pass_mark": "80",
        "certification_title": "",
        "certification_months": "24",
        "position": "0",
        "lessons-TOTAL_FORMS": "1",
        "lessons-INITIAL_FORMS": "0",
        "lessons-0-position": "0",
        "lessons-0-title": "Welcome",
        "lessons-0-kind": "article",
        "lessons-0-body": "<p>Hello</p><script>x()</script>",
        "lessons-0-url": "",
        "lessons-0-minutes": "",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-position": "0",
        "questions-0-text": "Which one?",
        "questions-0-kind": "single",
        "questions-0-explanation": "",
    }
    return data | values


def test_a_course_is_written_through_the_services_and_published_when_valid(tenant_a):
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    client = portal_client(tenant_a, manager.user)
    bad = client.post(f"{COURSES}add/", _course_form(pass_mark="0"))
    assert bad.status_code == 200
    response = client.post(f"{COURSES}add/", _course_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        course = Course.objects.get(title="Admin course")
        assert Lesson.objects.get(course=course).body == "<p>Hello</p>"
        question = Question.objects.get(course=course)
    page = client.post(COURSES, {"action": "publish", "_selected_action": [course.pk]}, follow=True).content.decode()
    assert "Question 1 needs at least two answer choices." in page
    choices = {
        "position": "0",
        "text": "Which one?",
        "kind": "single",
        "explanation": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-0-position": "0",
        "choices-0-text": "This one",
        "choices-0-is_correct": "on",
        "choices-1-position": "1",
        "choices-1-text": "That one",
    }
    assert client.post(f"{QUESTIONS}{question.pk}/change/", choices).status_code == 302
    page = client.post(COURSES, {"action": "publish", "_selected_action": [course.pk]}, follow=True).content.decode()
    assert "1 course published." in page
    with tenant_context(tenant_a):
        course.refresh_from_db()
        assert course.is_published
        assert list(question.choices.values_list("text", "is_correct")) == [("This one", True), ("That one", False)]
    staff = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF).user)
    assert staff.get(COURSES).status_code == 200
    assert staff.get(f"{COURSES}add/").status_code == 403


def test_attempts_and_certifications_are_read_only(tenant_a):
    _activity(tenant_a)
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user)
    for url in (ATTEMPTS, CERTIFICATIONS):
        assert client.get(f"{url}add/").status_code == 403
    page = client.get(f"{CERTIFICATIONS}?status=active").content.decode()
    assert "Course" in page
