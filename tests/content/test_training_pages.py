"""Training pages: the catalogue shows progress and certifications, lessons render sanitised articles and serve files
only through the download view, the quiz keeps answers and lists unanswered questions, the result explains each
question, certificates are printable pages, and the vendor's overview counts attempts, passes and certified people
(query counts pinned)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.models import Attempt, LessonProgress
from content.services import attempt_submit, lesson_add
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.content.training_factories import (
    CertificationFactory,
    CourseFactory,
    LessonFactory,
    half_right_answers,
    partner_in,
    quiz_course,
    right_answers,
)
from tests.factories import partner_member
from tests.mdf.proof_files import PDF

pytestmark = pytest.mark.django_db


def _rep(tenant, partner=None, role=Role.PARTNER_REP):
    partner = partner or partner_in(tenant)
    return partner, partner_member(partner, role=role).user


def test_catalogue_shows_progress_passes_and_certifications(tenant_a, django_assert_num_queries):
    course, ids = quiz_course(tenant_a)
    LessonFactory(course=course)
    for _ in range(3):
        quiz_course(tenant_a)
    CourseFactory(tenant=tenant_a, is_published=False, title="Hidden draft")
    partner, user = _rep(tenant_a)
    with tenant_context(tenant_a):
        attempt_submit(course=course, user=user, partner=partner, answers=right_answers(ids))
        LessonProgress.objects.create(lesson=course.lessons.first(), user=user)
    client = portal_client(tenant_a, user)
    client.get("/training/")  # warm the session and the caches
    with django_assert_num_queries(9):
        response = client.get("/training/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hidden draft" not in body
    row = body.split(f'id="course-{course.pk}"')[1].split("</tr>")[0]
    assert "1 of 2 lessons" in row and "Passed" in row and "Held until" in row


def test_course_page_renders_lessons_and_marks_them_done(tenant_a, member):
    course, ids = quiz_course(tenant_a)
    with tenant_context(tenant_a):
        upload = SimpleUploadedFile("guide.pdf", PDF)
        file_lesson = lesson_add(actor=member(tenant_a).user, course=course, kind="file", title="Guide", upload=upload)
        video = lesson_add(
            actor=None, course=course, kind="video", title="Watch", url="https://video.example/v1", minutes=4
        )
        article = lesson_add(
            actor=None, course=course, kind="article", title="Read", body="<p>Safe</p><script>alert(1)</script>"
        )
    partner, user = _rep(tenant_a)
    client = portal_client(tenant_a, user)
    body = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert "<p>Safe</p>" in body and "alert(1)" not in body
    assert "https://video.example/v1" in body
    assert f"/training/lessons/{file_lesson.pk}/file/" in body
    download = client.get(f"/training/lessons/{file_lesson.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert client.get(f"/training/lessons/{video.pk}/file/").status_code == 404
    done = client.post(f"/training/lessons/{article.pk}/done/")
    assert done.status_code == 302 and done["Location"].endswith(f"#lesson-{article.pk}")
    client.post(f"/training/lessons/{article.pk}/done/")
    with tenant_context(tenant_a):
        assert LessonProgress.objects.filter(user=user).count() == 1


def test_quiz_lists_unanswered_questions_and_keeps_the_answers(tenant_a):
    course, ids = quiz_course(tenant_a)
    partner, user = _rep(tenant_a)
    client = portal_client(tenant_a, user)
    assert client.get(f"/training/courses/{course.pk}/quiz/").status_code == 200
    response = client.post(f"/training/courses/{course.pk}/quiz/", {f"q{ids['single']}": ids["single_right"]})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Please answer question 2." in body
    assert f'value="{ids["single_right"]}" checked' in body
    with tenant_context(tenant_a):
        assert not Attempt.objects.exists()


def test_quiz_result_shows_score_and_each_question(tenant_a):
    course, ids = quiz_course(tenant_a)
    partner, user = _rep(tenant_a)
    client = portal_client(tenant_a, user)
    data = {f"q{ids['single']}": ids["single_right"], f"q{ids['multi']}": [ids["multi_right"][0]]}
    response = client.post(f"/training/courses/{course.pk}/quiz/", data)
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert "50.00%" in result and 'id="passed"' in result  # pass mark 50
    assert "Because the guide says so." in result
    assert result.split(f'id="result-{ids["single"]}"')[1].split("</h2>")[0].count("Correct") == 1
    assert "Incorrect" in result.split(f'id="result-{ids["multi"]}"')[1].split("</h2>")[0]
    assert 'id="certification"' in result


def test_certificate_page_for_holder_partner_admin_and_vendor_only(tenant_a, member):
    course, ids = quiz_course(tenant_a)
    partner, rep = _rep(tenant_a)
    colleague = partner_member(partner, role=Role.PARTNER_REP).user
    admin = partner_member(partner, role=Role.PARTNER_ADMIN).user
    _other, stranger = _rep(tenant_a, role=Role.PARTNER_ADMIN)
    with tenant_context(tenant_a):
        certification = attempt_submit(
            course=course, user=rep, partner=partner, answers=right_answers(ids)
        ).certification
    url = f"/training/certifications/{certification.pk}/"
    for user in (rep, admin, member(tenant_a, role=Role.VENDOR_STAFF).user):
        body = portal_client(tenant_a, user).get(url).content.decode()
        assert certification.code in body and partner.name in body and course.title in body
    for user in (colleague, stranger):
        assert portal_client(tenant_a, user).get(url).status_code == 404
    assert portal_client(tenant_a, admin).get("/training/certifications/").content.decode().count(certification.code)
    assert (
        certification.code not in portal_client(tenant_a, colleague).get("/training/certifications/").content.decode()
    )


def test_vendor_overview_counts_with_pinned_queries(tenant_a, member, django_assert_num_queries):
    course, ids = quiz_course(tenant_a)
    for _ in range(3):
        quiz_course(tenant_a)
    partner = partner_in(tenant_a)
    with tenant_context(tenant_a):
        for answers in (right_answers(ids), half_right_answers(ids), right_answers(ids)):
            attempt_submit(
                course=course,
                user=partner_member(partner, role=Role.PARTNER_REP).user,
                partner=partner,
                answers=answers,
            )
        CertificationFactory(
            course=course, user=partner_member(partner).user, expires_at=timezone.now() + timedelta(days=5)
        )
    client = portal_client(tenant_a, member(tenant_a).user)
    client.get("/training/overview/")
    with django_assert_num_queries(9):
        response = client.get("/training/overview/")
    row = response.content.decode().split(f'id="course-{course.pk}"')[1].split("</tr>")[0]
    assert '<td class="attempts">3</td>' in row and '<td class="passes">3</td>' in row  # pass mark 50: 50% passes
    assert '<td class="pass-rate">100%</td>' in row
    assert '<td class="certified">4</td>' in row and '<td class="expiring">1</td>' in row
    partner_user = partner_member(partner).user
    assert portal_client(tenant_a, partner_user).get("/training/overview/").status_code == 403


def test_vendor_staff_preview_a_draft_without_earning(tenant_a, member):
    draft, ids = quiz_course(tenant_a, is_published=False)
    staff = member(tenant_a).user
    client = portal_client(tenant_a, staff)
    assert "Preview" in client.get(f"/training/courses/{draft.pk}/").content.decode()
    response = client.post(
        f"/training/courses/{draft.pk}/quiz/",
        {f"q{ids['single']}": ids["single_right"], f"q{ids['multi']}": ids["multi_right"]},
    )
    assert response.status_code == 302
    assert 'id="certification"' not in client.get(response["Location"]).content.decode()
