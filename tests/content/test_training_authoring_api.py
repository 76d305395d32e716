"""/api/v1/courses/{id}/lessons/ and /questions/: a content manager builds a course end to end (articles sanitised,
file lessons checked by content, choices written with their questions, lessons reordered, the course published);
a published course's quiz stays valid (400, nothing changed) and keeps a lesson (409); only content managers
write; a lesson or question of another course is 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from content.models import Choice, Lesson, Question
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.content.training_factories import (
    ChoiceFactory,
    CourseFactory,
    LessonFactory,
    QuestionFactory,
    partner_in,
    quiz_course,
)
from tests.factories import MembershipFactory, partner_member
from tests.mdf.proof_files import PDF

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def manager(tenant_a):
    return Api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER))


def _upload(api, path, data):
    """A multipart POST, as a file lesson is sent."""
    return api.client.post(path, data, **api.auth)


def test_a_manager_builds_and_publishes_a_course_over_the_api(tenant_a, manager):
    course = manager.post("/api/v1/courses/", {"title": "Selling the platform", "pass_mark": 50}).json()
    lessons_url = f"/api/v1/courses/{course['id']}/lessons/"
    article = manager.post(
        lessons_url,
        {"kind": "article", "title": "Why it sells", "body": "<p>Value</p><script>alert(1)</script>", "minutes": 5},
    )
    assert article.status_code == 201, article.json()
    assert "<script" not in article.json()["body"] and "Value" in article.json()["body"]
    with tenant_context(tenant_a):
        assert "<script" not in Lesson.objects.get(pk=article.json()["id"]).body
    video = manager.post(lessons_url, {"kind": "video", "title": "Demo", "url": "https://video.example/demo"})
    assert video.status_code == 201 and video.json()["position"] == 1
    guide = _upload(
        manager, lessons_url, {"kind": "file", "title": "Guide", "file": SimpleUploadedFile("guide.pdf", PDF)}
    )
    assert guide.status_code == 201, guide.json()
    assert guide.json()["original_name"] == "guide.pdf" and guide.json()["file_url"]
    renamed_exe = _upload(
        manager, lessons_url, {"kind": "file", "title": "Setup", "file": SimpleUploadedFile("setup.pdf", EXE)}
    )
    assert renamed_exe.status_code == 415
    with tenant_context(tenant_a):
        assert Lesson.objects.filter(course_id=course["id"]).count() == 3

    questions_url = f"/api/v1/courses/{course['id']}/questions/"
    single = manager.post(
        questions_url,
        {
            "text": "Who buys it?",
            "kind": "single",
            "explanation": "The guide says so.",
            "choices": [{"text": "IT", "is_correct": True}, {"text": "Nobody"}],
        },
    )
    assert single.status_code == 201, single.json()
    assert [(c["text"], c["is_correct"]) for c in single.json()["choices"]] == [("IT", True), ("Nobody", False)]
    multiple = manager.post(
        questions_url,
        {
            "text": "What does it save?",
            "kind": "multiple",
            "choices": [{"text": "Time", "is_correct": True}, {"text": "Money", "is_correct": True}, {"text": "No"}],
        },
    )
    assert multiple.status_code == 201 and multiple.json()["position"] == 1

    order = [guide.json()["id"], article.json()["id"], video.json()["id"]]
    reordered = manager.post(f"{lessons_url}reorder", {"lesson_ids": order})
    assert reordered.status_code == 200 and [row["id"] for row in reordered.json()] == order
    assert [row["id"] for row in manager.get(lessons_url).json()] == order
    assert manager.post(f"{lessons_url}reorder", {"lesson_ids": order[:2]}).status_code == 400

    renamed = manager.patch(f"{lessons_url}{video.json()['id']}/", {"title": "The demo"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "The demo"
    assert renamed.json()["url"] == "https://video.example/demo"

    published = manager.post(f"/api/v1/courses/{course['id']}/publish/")
    assert published.status_code == 200 and published.json()["is_published"]
    assert [q["id"] for q in published.json()["questions"]] == [single.json()["id"], multiple.json()["id"]]


def test_a_file_lesson_takes_a_new_file_in_a_multipart_patch(tenant_a, manager):
    course = CourseFactory(tenant=tenant_a, is_published=False)
    lessons_url = f"/api/v1/courses/{course.pk}/lessons/"
    first = _upload(manager, lessons_url, {"kind": "file", "title": "Guide", "file": SimpleUploadedFile("v1.pdf", PDF)})
    path = f"{lessons_url}{first.json()['id']}/"

    def patch(upload):
        body = encode_multipart(BOUNDARY, {"title": "Guide 2", "file": upload})
        return manager.client.patch(path, body, content_type=MULTIPART_CONTENT, **manager.auth)

    assert patch(SimpleUploadedFile("v2.exe.pdf", EXE)).status_code == 415
    replaced = patch(SimpleUploadedFile("v2.pdf", PDF))
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["original_name"] == "v2.pdf" and replaced.json()["title"] == "Guide 2"


def test_a_lesson_that_does_not_fit_its_kind_is_400_with_field_errors(tenant_a, manager):
    course = CourseFactory(tenant=tenant_a, is_published=False)
    response = manager.post(f"/api/v1/courses/{course.pk}/lessons/", {"kind": "video", "title": "Demo"})
    assert response.status_code == 400 and "url" in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert not Lesson.objects.filter(course=course).exists()


def test_invalid_choices_on_a_published_course_are_400_and_change_nothing(tenant_a, manager):
    course, ids = quiz_course(tenant_a)

    def choices():
        with tenant_context(tenant_a):
            return sorted(Choice.objects.filter(question_id=ids["single"]).values_list("text", "is_correct"))

    before = choices()
    two_right = [{"text": "A", "is_correct": True}, {"text": "B", "is_correct": True}]
    patched = manager.patch(f"/api/v1/courses/{course.pk}/questions/{ids['single']}/", {"choices": two_right})
    assert patched.status_code == 400 and "questions" in patched.json()["error"]["fields"]
    assert choices() == before
    added = manager.post(
        f"/api/v1/courses/{course.pk}/questions/", {"text": "Lonely?", "kind": "single", "choices": [{"text": "Yes"}]}
    )
    assert added.status_code == 400
    with tenant_context(tenant_a):
        assert Question.objects.filter(course=course).count() == 2


def test_removing_the_last_lesson_of_a_published_course_is_409(tenant_a, manager):
    course, _ids = quiz_course(tenant_a)
    with tenant_context(tenant_a):
        lesson = Lesson.objects.get(course=course)
    response = manager.client.delete(f"/api/v1/courses/{course.pk}/lessons/{lesson.pk}/", **manager.auth)
    assert response.status_code == 409
    with tenant_context(tenant_a):
        assert Lesson.objects.filter(pk=lesson.pk).exists()
    second = LessonFactory(course=course)
    assert manager.client.delete(f"/api/v1/courses/{course.pk}/lessons/{second.pk}/", **manager.auth).status_code == 204
    question = QuestionFactory(course=course)
    ChoiceFactory(question=question, is_correct=True)
    ChoiceFactory(question=question)
    deleted = manager.client.delete(f"/api/v1/courses/{course.pk}/questions/{question.pk}/", **manager.auth)
    assert deleted.status_code == 204
    with tenant_context(tenant_a):
        assert not Question.objects.filter(pk=question.pk).exists()


def test_only_content_managers_write_lessons_and_questions(tenant_a):
    course, ids = quiz_course(tenant_a)
    with tenant_context(tenant_a):
        lesson = Lesson.objects.get(course=course)
    partner = partner_in(tenant_a)
    callers = [
        Api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)),
        Api(tenant_a, partner_member(partner, role=Role.PARTNER_ADMIN)),
        Api(tenant_a, partner_member(partner, role=Role.PARTNER_REP)),
    ]
    for api in callers:
        lessons, questions = f"/api/v1/courses/{course.pk}/lessons/", f"/api/v1/courses/{course.pk}/questions/"
        assert api.post(lessons, {"kind": "video", "title": "X", "url": "https://v.example/x"}).status_code == 403
        assert api.patch(f"{lessons}{lesson.pk}/", {"title": "X"}).status_code == 403
        assert api.post(f"{lessons}reorder", {"lesson_ids": [lesson.pk]}).status_code == 403
        assert api.client.delete(f"{lessons}{lesson.pk}/", **api.auth).status_code == 403
        assert api.post(questions, {"text": "X?", "kind": "single"}).status_code == 403
        assert api.patch(f"{questions}{ids['single']}/", {"text": "X?"}).status_code == 403
        assert api.client.delete(f"{questions}{ids['single']}/", **api.auth).status_code == 403
        assert api.get(questions).status_code == 403
    with tenant_context(tenant_a):
        assert Lesson.objects.get(pk=lesson.pk).title == lesson.title
        assert Question.objects.filter(course=course).count() == 2


def test_a_lesson_or_question_of_another_course_is_404(tenant_a, manager):
    course, ids = quiz_course(tenant_a)
    other = CourseFactory(tenant=tenant_a, is_published=False)
    with tenant_context(tenant_a):
        lesson = Lesson.objects.get(course=course)
    wrong_course = f"/api/v1/courses/{other.pk}"
    for path in (f"{wrong_course}/lessons/{lesson.pk}/", f"{wrong_course}/questions/{ids['single']}/"):
        assert manager.get(path).status_code == 404
        assert manager.patch(path, {"title": "Moved", "text": "Moved?"}).status_code == 404
        assert manager.client.delete(path, **manager.auth).status_code == 404
    assert manager.get(f"/api/v1/courses/{other.pk}/lessons/").json() == []
    assert manager.post(f"/api/v1/courses/{other.pk}/lessons/reorder", {"lesson_ids": [lesson.pk]}).status_code == 400
    with tenant_context(tenant_a):
        assert Lesson.objects.get(pk=lesson.pk).course_id == course.pk
    missing = manager.post("/api/v1/courses/999999/questions/", {"text": "Where?", "kind": "single"})
    assert missing.status_code == 404


def test_adding_a_question_costs_a_fixed_number_of_queries(tenant_a, manager, django_assert_num_queries):
    course = CourseFactory(tenant=tenant_a, is_published=False)
    body = {"text": "Ready?", "kind": "single", "choices": [{"text": "Yes", "is_correct": True}, {"text": "No"}]}
    manager.post(f"/api/v1/courses/{course.pk}/questions/", body)
    # tenant, RLS on/off, token, membership, course; in the service: savepoint, course locked, last position,
    # question, old choices deleted, choices in one insert, audit (tenant + row), release; the answer: question,
    # its choices
    with django_assert_num_queries(17):
        response = manager.post(f"/api/v1/courses/{course.pk}/questions/", body)
    assert response.status_code == 201 and response.json()["position"] == 1
