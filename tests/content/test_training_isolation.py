"""Training across tenants and partners: another tenant's courses, lessons, lesson files, attempts and certificates
are 404 on every page and API route, lesson and question authoring included (and absent from lists); within a
tenant, a partner never reaches another partner's attempts or certificates, nor a course restricted to other
partners."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from content.models import Lesson, Question
from content.services import attempt_submit, lesson_add
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.content.training_factories import partner_in, quiz_course, right_answers
from tests.factories import MembershipFactory, ProgramFactory, TierFactory, partner_member
from tests.mdf.proof_files import PDF

pytestmark = pytest.mark.django_db


def training_b_rows(tenant) -> dict:
    """A course with a file lesson and a quiz, a passed attempt and its certification, in `tenant`."""
    course, ids = quiz_course(tenant)
    partner = partner_in(tenant)
    holder = partner_member(partner, role=Role.PARTNER_REP).user
    with tenant_context(tenant):
        lesson = lesson_add(
            actor=None, course=course, kind="file", title="Guide", upload=SimpleUploadedFile("guide.pdf", PDF)
        )
        result = attempt_submit(course=course, user=holder, partner=partner, answers=right_answers(ids))
        question = course.questions.first()
    return {
        "content.course": course,
        "content.question": question,
        "content.attempt": result.attempt,
        "content.certification": result.certification,
        "lesson": lesson,
        "ids": ids,
        "partner": partner,
        "holder": holder,
    }


def _page_paths(rows) -> list[tuple[str, str]]:
    course, lesson = rows["content.course"], rows["lesson"]
    return [
        ("get", f"/training/courses/{course.pk}/"),
        ("get", f"/training/courses/{course.pk}/quiz/"),
        ("post", f"/training/courses/{course.pk}/quiz/"),
        ("post", f"/training/lessons/{lesson.pk}/done/"),
        ("get", f"/training/lessons/{lesson.pk}/file/"),
        ("get", f"/training/attempts/{rows['content.attempt'].pk}/"),
        ("get", f"/training/certifications/{rows['content.certification'].pk}/"),
    ]


def _api_paths(rows) -> list[tuple[str, str]]:
    course = rows["content.course"]
    return [
        ("get", f"/api/v1/courses/{course.pk}/"),
        ("patch", f"/api/v1/courses/{course.pk}/"),
        ("post", f"/api/v1/courses/{course.pk}/publish/"),
        ("post", f"/api/v1/courses/{course.pk}/unpublish/"),
        ("get", f"/api/v1/courses/{course.pk}/attempts/"),
        ("post", f"/api/v1/courses/{course.pk}/attempts/"),
        ("get", f"/api/v1/certifications/{rows['content.certification'].pk}/"),
    ]


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.PARTNER_ADMIN])
def test_another_tenants_training_is_404_on_pages_and_api(tenant_a, tenant_b, role):
    rows = training_b_rows(tenant_b)
    training_b_rows(tenant_a)  # data on both sides, so an empty answer proves nothing by itself
    if role == Role.TENANT_ADMIN:
        membership = MembershipFactory(tenant=tenant_a, role=role)
    else:
        membership = partner_member(partner_in(tenant_a), role=role)
    client = portal_client(tenant_a, membership.user)
    for method, path in _page_paths(rows):
        assert getattr(client, method)(path).status_code == 404, path
    api = Api(tenant_a, membership)
    answers = {"answers": right_answers(rows["ids"])}
    for method, path in _api_paths(rows):
        response = api.get(path) if method == "get" else getattr(api, method)(path, answers)
        assert response.status_code in (403, 404), path
        if role == Role.TENANT_ADMIN or method == "get":
            assert response.status_code == 404, path
    for path in ("/api/v1/courses/", "/api/v1/certifications/"):
        listed = {row["id"] for row in api.get(path).json()["results"]}
        assert rows["content.course"].pk not in listed and rows["content.certification"].pk not in listed
    catalogue = client.get("/training/").content.decode()
    assert rows["content.course"].title not in catalogue


def test_another_tenants_token_is_refused(tenant_a, tenant_b):
    b_member = MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN)
    api = Api(tenant_b, b_member)
    for path in ("/api/v1/courses/", "/api/v1/certifications/"):
        response = portal_client(tenant_a).get(path, **api.auth)
        assert response.status_code == 401


def test_partners_never_reach_each_others_attempts_and_certificates(tenant_a):
    rows = training_b_rows(tenant_a)
    other_partner = partner_in(tenant_a)
    for role in (Role.PARTNER_ADMIN, Role.PARTNER_REP):
        membership = partner_member(other_partner, role=role)
        client = portal_client(tenant_a, membership.user)
        assert client.get(f"/training/attempts/{rows['content.attempt'].pk}/").status_code == 404
        assert client.get(f"/training/certifications/{rows['content.certification'].pk}/").status_code == 404
        assert rows["content.certification"].code not in client.get("/training/certifications/").content.decode()
        api = Api(tenant_a, membership)
        cert = rows["content.certification"]
        assert api.get(f"/api/v1/certifications/{cert.pk}/").status_code == 404
        assert api.get("/api/v1/certifications/").json()["count"] == 0
        attempts = api.get(f"/api/v1/courses/{rows['content.course'].pk}/attempts/").json()
        assert attempts["count"] == 0


def test_a_course_for_other_partners_is_404_with_its_lessons_and_files(tenant_a):
    gold = TierFactory(program=ProgramFactory(tenant=tenant_a))
    rows = training_b_rows(tenant_a)
    course = rows["content.course"]
    with tenant_context(tenant_a):
        course.visible_tier_ids = [gold.pk]
        course.save(update_fields=["visible_tier_ids"])
    outsider = partner_member(partner_in(tenant_a, program=gold.program), role=Role.PARTNER_REP)
    insider = partner_member(partner_in(tenant_a, program=gold.program, tier=gold), role=Role.PARTNER_REP)
    for method, path in _page_paths(rows):
        if "attempts" in path or "certifications" in path:
            continue
        assert getattr(portal_client(tenant_a, outsider.user), method)(path).status_code == 404, path
    assert portal_client(tenant_a, insider.user).get(f"/training/lessons/{rows['lesson'].pk}/file/").status_code == 200
    outsider_api = Api(tenant_a, outsider)
    assert outsider_api.get(f"/api/v1/courses/{course.pk}/").status_code == 404
    answers = {"answers": right_answers(rows["ids"])}
    assert outsider_api.post(f"/api/v1/courses/{course.pk}/attempts/", answers).status_code == 404
    assert Api(tenant_a, insider).post(f"/api/v1/courses/{course.pk}/attempts/", answers).status_code == 201


def _authoring_paths(rows) -> list[tuple[str, str]]:
    course, lesson, question = rows["content.course"], rows["lesson"], rows["content.question"]
    lessons, questions = f"/api/v1/courses/{course.pk}/lessons/", f"/api/v1/courses/{course.pk}/questions/"
    return [
        ("get", lessons),
        ("post", lessons),
        ("post", f"{lessons}reorder"),
        ("get", f"{lessons}{lesson.pk}/"),
        ("patch", f"{lessons}{lesson.pk}/"),
        ("delete", f"{lessons}{lesson.pk}/"),
        ("get", questions),
        ("post", questions),
        ("get", f"{questions}{question.pk}/"),
        ("patch", f"{questions}{question.pk}/"),
        ("delete", f"{questions}{question.pk}/"),
    ]


def test_another_tenants_lessons_and_questions_are_404_to_a_content_manager(tenant_a, tenant_b):
    rows = training_b_rows(tenant_b)
    own = training_b_rows(tenant_a)
    api = Api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN))
    body = {"kind": "video", "title": "Taken", "url": "https://v.example/x", "text": "Taken?", "lesson_ids": []}
    for method, path in _authoring_paths(rows):
        if method == "delete":
            response = api.client.delete(path, **api.auth)
        else:
            response = api.get(path) if method == "get" else getattr(api, method)(path, body)
        assert response.status_code == 404, (method, path)
    # the foreign ids under the manager's own course are 404 too
    own_course = own["content.course"].pk
    assert api.get(f"/api/v1/courses/{own_course}/lessons/{rows['lesson'].pk}/").status_code == 404
    assert api.patch(f"/api/v1/courses/{own_course}/questions/{rows['content.question'].pk}/", body).status_code == 404
    with tenant_context(tenant_b):
        assert Lesson.objects.get(pk=rows["lesson"].pk).title == "Guide"
        assert Question.objects.filter(course=rows["content.course"]).count() == 2


def test_another_tenants_token_is_refused_on_lessons_and_questions(tenant_a, tenant_b):
    rows = training_b_rows(tenant_a)
    b_member = MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN)
    token = Api(tenant_b, b_member).auth
    for method, path in _authoring_paths(rows):
        response = getattr(portal_client(tenant_a), method)(path, **token)
        assert response.status_code == 401, (method, path)
