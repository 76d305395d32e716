"""The training demo data: two published courses per demo tenant with every kind of lesson and quizzes of both
kinds, passed and failed attempts, certifications held (one expiring within 30 days, one expired), a "complete
course" checklist step; seeding again changes nothing."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from content.models import Attempt, Certification, Course, Lesson, Question
from partners.models import ChecklistStepTemplate
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant


def _rows():
    return (
        sorted(Course.objects.values_list("pk", "title", "is_published")),
        sorted(Attempt.objects.values_list("pk", "passed", "score")),
        sorted(Certification.objects.values_list("pk", "code", "status", "expires_at")),
    )


def test_demo_training_per_tenant(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    before = {}
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            courses = Course.objects.filter(is_published=True)
            assert courses.count() == 2
            assert set(Lesson.objects.values_list("kind", flat=True)) == {"article", "video", "file"}
            assert all(lesson.file.read(4) == b"%PDF" for lesson in Lesson.objects.filter(kind="file"))
            assert set(Question.objects.values_list("kind", flat=True)) == {"single", "multiple"}
            assert courses.exclude(certification_title="").count() == 1
            assert {True, False} <= set(Attempt.objects.values_list("passed", flat=True))
            active = Certification.objects.filter(status="active")
            assert active.count() >= 2
            assert active.filter(expires_at__lte=timezone.now() + timedelta(days=30)).count() == 1
            assert Certification.objects.filter(status="expired").count() == 1
            assert ChecklistStepTemplate.objects.filter(kind="complete_course").exclude(subject="").count() == 1
            before[tenant.pk] = _rows()
    call_command("seed_demo", stdout=StringIO())
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            assert _rows() == before[tenant.pk]
