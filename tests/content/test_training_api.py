"""/api/v1/courses/, /courses/{id}/attempts/ and /certifications/: visible courses with lessons and a quiz (correct
choices only for managers), managers create and publish, attempts are scored (201 with the certification), bad
answers 400, a course without a quiz 409, Idempotency-Key replays, certification filters, query counts, schema."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import Attempt, Course
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.content.training_factories import (
    CertificationFactory,
    CourseFactory,
    LessonFactory,
    partner_in,
    quiz_course,
    right_answers,
    wrong_answers,
)
from tests.factories import MembershipFactory, partner_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant_a):
    return Api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER))


def _rep_api(tenant, partner=None, role=Role.PARTNER_REP):
    partner = partner or partner_in(tenant)
    return partner, Api(tenant, partner_member(partner, role=role))


def test_courses_list_the_quiz_without_the_answers_for_partners(tenant_a, manager, django_assert_num_queries):
    course, ids = quiz_course(tenant_a)
    for _ in range(3):
        quiz_course(tenant_a)
    CourseFactory(tenant=tenant_a, is_published=False)
    _partner, rep = _rep_api(tenant_a)
    rep.get("/api/v1/courses/")
    with django_assert_num_queries(11):
        response = rep.get("/api/v1/courses/")
    body = response.json()
    assert response.status_code == 200 and body["count"] == 4
    found = next(row for row in body["results"] if row["id"] == course.pk)
    assert [q["id"] for q in found["questions"]] == [ids["single"], ids["multi"]]
    assert all("is_correct" not in choice for q in found["questions"] for choice in q["choices"])
    assert len(found["lessons"]) == 1
    managed = manager.get(f"/api/v1/courses/{course.pk}/").json()
    assert any(choice["is_correct"] for choice in managed["questions"][0]["choices"])
    assert manager.get("/api/v1/courses/").json()["count"] == 5


def test_managers_create_and_publish_courses(tenant_a, manager):
    created = manager.post(
        "/api/v1/courses/", {"title": "Partner onboarding", "pass_mark": 70, "certification_title": "Onboarded"}
    )
    assert created.status_code == 201, created.json()
    course_id = created.json()["id"]
    refused = manager.post(f"/api/v1/courses/{course_id}/publish/")
    assert refused.status_code == 400
    assert "lessons" in refused.json()["error"]["fields"]
    with tenant_context(tenant_a):
        LessonFactory(course=Course.objects.get(pk=course_id))
    refused = manager.post(f"/api/v1/courses/{course_id}/publish/")
    assert refused.status_code == 400, refused.json()
    assert "certification_title" in refused.json()["error"]["fields"]  # a 24-month certification needs a quiz
    assert manager.patch(f"/api/v1/courses/{course_id}/", {"certification_title": ""}).status_code == 200
    published = manager.post(f"/api/v1/courses/{course_id}/publish/")
    assert published.status_code == 200 and published.json()["is_published"] is True
    bad = manager.patch(f"/api/v1/courses/{course_id}/", {"pass_mark": 0})
    assert bad.status_code == 400
    _partner, rep = _rep_api(tenant_a)
    assert rep.post("/api/v1/courses/", {"title": "Mine"}).status_code == 403
    assert rep.post(f"/api/v1/courses/{course_id}/unpublish/").status_code == 403


def test_attempts_are_scored_and_earn_a_certification(tenant_a):
    course, ids = quiz_course(tenant_a)
    partner, rep = _rep_api(tenant_a)
    url = f"/api/v1/courses/{course.pk}/attempts/"
    failed = rep.post(url, {"answers": wrong_answers(ids)})
    assert failed.status_code == 201
    assert (failed.json()["score"], failed.json()["passed"], failed.json()["certification"]) == ("0.00", False, None)
    passed = rep.post(url, {"answers": right_answers(ids)}).json()
    assert passed["passed"] is True and passed["correct_questions"] == sorted([ids["single"], ids["multi"]])
    assert passed["certification"]["status"] == "active"
    assert passed["certification"]["partner"] == {"id": partner.pk, "name": partner.name}
    mine = rep.get(url).json()
    assert mine["count"] == 2
    _other, colleague = _rep_api(tenant_a, partner=partner)
    assert colleague.get(url).json()["count"] == 0


def test_bad_answers_are_refused_and_change_nothing(tenant_a):
    course, ids = quiz_course(tenant_a)
    other, other_ids = quiz_course(tenant_a)
    no_quiz = CourseFactory(tenant=tenant_a)
    _partner, rep = _rep_api(tenant_a)
    url = f"/api/v1/courses/{course.pk}/attempts/"
    foreign = {str(ids["single"]): [other_ids["single_right"]], str(ids["multi"]): ids["multi_right"]}
    response = rep.post(url, {"answers": foreign})
    assert response.status_code == 400
    assert f"answers.{ids['single']}" in response.json()["error"]["fields"]
    assert rep.post(url, {"answers": {str(ids["single"]): [ids["single_right"]]}}).status_code == 400
    assert rep.post(url, {"answers": "all of them"}).status_code == 400
    conflict = rep.post(f"/api/v1/courses/{no_quiz.pk}/attempts/", {"answers": {}})
    assert conflict.status_code == 409
    with tenant_context(tenant_a):
        assert not Attempt.objects.exists()


def test_idempotency_key_replays_the_first_attempt(tenant_a):
    course, ids = quiz_course(tenant_a)
    _partner, rep = _rep_api(tenant_a)
    url = f"/api/v1/courses/{course.pk}/attempts/"
    first = rep.post(url, {"answers": right_answers(ids)}, HTTP_IDEMPOTENCY_KEY="try-1")
    again = rep.post(url, {"answers": right_answers(ids)}, HTTP_IDEMPOTENCY_KEY="try-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    with tenant_context(tenant_a):
        assert Attempt.objects.count() == 1


def test_certifications_by_role_and_filters(tenant_a, manager, django_assert_num_queries):
    course = CourseFactory(tenant=tenant_a)
    partner, admin = _rep_api(tenant_a, role=Role.PARTNER_ADMIN)
    _same, rep = _rep_api(tenant_a, partner=partner)
    other_partner, other = _rep_api(tenant_a)
    soon = CertificationFactory(
        course=course, user=rep.membership.user, partner=partner, expires_at=timezone.now() + timedelta(days=5)
    )
    later = CertificationFactory(course=course, user=admin.membership.user, partner=partner)
    elsewhere = CertificationFactory(course=course, user=other.membership.user, partner=other_partner)

    def ids(api, **params):
        return sorted(row["id"] for row in api.get("/api/v1/certifications/", **params).json()["results"])

    assert ids(admin) == sorted([soon.pk, later.pk])
    assert ids(rep) == [soon.pk]
    assert ids(manager) == sorted([soon.pk, later.pk, elsewhere.pk])
    assert ids(manager, partner=other_partner.pk) == [elsewhere.pk]
    before = (timezone.now() + timedelta(days=30)).isoformat()
    assert ids(manager, expiring_before=before) == [soon.pk]
    assert ids(manager, status="expired") == []
    assert manager.get("/api/v1/certifications/", status="nope").status_code == 400
    manager.get("/api/v1/certifications/")
    with django_assert_num_queries(7):
        assert manager.get("/api/v1/certifications/").status_code == 200
    assert rep.get(f"/api/v1/certifications/{later.pk}/").status_code == 404


def test_schema_builds_with_the_training_operations(tenant_a, manager):
    response = manager.client.get("/api/schema/?format=json", **manager.auth)
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/courses/", "/api/v1/courses/{course_pk}/attempts/", "/api/v1/certifications/"):
        assert path in paths
    assert "409" in paths["/api/v1/courses/{course_pk}/attempts/"]["post"]["responses"]
