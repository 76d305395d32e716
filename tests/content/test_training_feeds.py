"""Training feeds other apps through their registries: the onboarding step "complete a course" (course X, or any),
the tier metric "certified reps" (one query; expired, renewed, other tenants) and the points events "course
completed" (first pass only) and "certification earned" (not for renewals)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from content.models import Attempt, Certification
from content.services import attempt_submit
from incentives.event_kinds import event_kind_keys
from incentives.models import LedgerEntry
from incentives.periods import period_containing
from partners.metrics import metric_get
from partners.models import ChecklistStepTemplate, OnboardingStep, Partner
from partners.services import checklist_step_add, checklist_step_update, onboarding_checklist_create
from partners.step_kinds import step_kind_choices
from prm.accounts.roles import Role
from prm.errors import InvalidInput
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.content.training_factories import CertificationFactory, CourseFactory, partner_in, quiz_course, right_answers
from tests.factories import MembershipFactory, ProgramFactory, partner_member
from tests.incentives.kinds_helpers import program_of, run, user_lines
from tests.partners.test_onboard_admin import program_post

pytestmark = pytest.mark.django_db


def test_complete_course_steps_complete_for_their_course_or_any(tenant_a, member):
    manager = member(tenant_a).user
    course_x, ids_x = quiz_course(tenant_a)
    course_y, ids_y = quiz_course(tenant_a)
    program = ProgramFactory(tenant=tenant_a)
    with tenant_context(tenant_a):
        assert ("complete_course", "Complete a course") in step_kind_choices()
        checklist_step_add(program=program, actor=manager, kind="complete_course", subject=str(course_x.pk), title="X")
        checklist_step_add(program=program, actor=manager, kind="complete_course", title="Any course")
        with pytest.raises(InvalidInput) as refused:
            checklist_step_add(program=program, actor=manager, kind="complete_course", subject="999999", title="?")
        assert "subject" in refused.value.fields
        with pytest.raises(InvalidInput):
            checklist_step_add(program=program, actor=manager, kind="upload_logo", subject=str(course_x.pk), title="?")
        partner = partner_in(tenant_a, program=program)
        onboarding_checklist_create(partner=partner)
        user = partner_member(partner).user
        steps = {step.title: step for step in OnboardingStep.objects.filter(partner=partner)}
        assert steps["X"].subject == str(course_x.pk)

        attempt_submit(course=course_y, user=user, partner=partner, answers=right_answers(ids_y))
        done = dict(OnboardingStep.objects.filter(partner=partner).values_list("title", "completed_at"))
        assert done["X"] is None and done["Any course"] is not None

        attempt_submit(course=course_x, user=user, partner=partner, answers=right_answers(ids_x))
        assert OnboardingStep.objects.get(partner=partner, title="X").completed_at is not None


def test_certified_reps_counts_people_holding_a_certification_in_one_query(
    tenant_a, tenant_b, django_assert_num_queries
):
    day = date(2026, 6, 15)
    at = datetime(2026, 6, 1, tzinfo=UTC)
    course = CourseFactory(tenant=tenant_a)
    other_course = CourseFactory(tenant=tenant_a)
    partner, quiet = partner_in(tenant_a), partner_in(tenant_a)
    anne, bob, cleo, dan = (partner_member(partner).user for _ in range(4))
    # anne: two courses (counted once); bob: renewed then active (once); cleo: expired before the day; dan: earned
    # after the day.
    CertificationFactory(course=course, user=anne, partner=partner, earned_at=at)
    CertificationFactory(course=other_course, user=anne, partner=partner, earned_at=at, expires_at=None)
    CertificationFactory(
        course=course, user=bob, partner=partner, earned_at=at - timedelta(days=400), status="renewed", ended_at=at
    )
    CertificationFactory(course=course, user=bob, partner=partner, earned_at=at)
    CertificationFactory(
        course=course, user=cleo, partner=partner, earned_at=at - timedelta(days=800), expires_at=at, status="expired"
    )
    CertificationFactory(course=course, user=dan, partner=partner, earned_at=datetime(2026, 6, 20, tzinfo=UTC))
    foreign = partner_in(tenant_b)
    CertificationFactory(course=CourseFactory(tenant=tenant_b), user=partner_member(foreign).user, partner=foreign)
    with tenant_context(tenant_a):
        compute = metric_get("certified_reps").compute
        with django_assert_num_queries(1):
            values = compute(Partner.objects.all(), as_of=day)
        assert values == {partner.pk: Decimal(2), quiet.pk: Decimal(0)}
        assert compute(Partner.objects.all(), as_of=date(2026, 6, 25))[partner.pk] == Decimal(3)
        # on 31 May: bob by his old one, cleo before hers expired
        assert compute(Partner.objects.all(), as_of=date(2026, 5, 31))[partner.pk] == Decimal(2)


def test_points_for_first_course_completion_and_certifications_not_renewals(tenant_a):
    assert {"course_completed", "certification_earned"} <= set(event_kind_keys())
    course, ids = quiz_course(tenant_a)
    partner = partner_in(tenant_a)
    rep = partner_member(partner).user
    period = period_containing(timezone.now().date(), "quarter").key
    with tenant_context(tenant_a):
        first = attempt_submit(course=course, user=rep, partner=partner, answers=right_answers(ids))
        attempt_submit(course=course, user=rep, partner=partner, answers=right_answers(ids))  # a renewal
        program = program_of(
            "points",
            {"points": {"course_completed": 50, "certification_earned": 30}},
            award_to="rep",
            unit="points",
            starts_on=date(2020, 1, 1),
        )
        run(program, period)
        assert user_lines(program) == [
            (rep.pk, f"event:certification_earned:{first.certification.pk}", "earning", Decimal("30")),
            (rep.pk, f"event:course_completed:{first.attempt.pk}", "earning", Decimal("50")),
        ]
        # The certification expires; earning it again earns points again, passing again earns no completion.
        Certification.objects.filter(status="active").update(status="expired", ended_at=timezone.now())
        again = attempt_submit(course=course, user=rep, partner=partner, answers=right_answers(ids))
        run(program, period)
        sources = sorted(LedgerEntry.objects.filter(program=program).values_list("source", flat=True))
        assert sources == sorted(
            [
                f"event:certification_earned:{first.certification.pk}",
                f"event:certification_earned:{again.certification.pk}",
                f"event:course_completed:{first.attempt.pk}",
            ]
        )
        assert Attempt.objects.filter(user=rep, passed=True).count() == 3


def test_step_subjects_show_in_the_programs_api_and_are_checked_on_update(tenant_a, member):
    manager = member(tenant_a).user
    course, _ids = quiz_course(tenant_a)
    program = ProgramFactory(tenant=tenant_a)
    with tenant_context(tenant_a):
        step = checklist_step_add(program=program, actor=manager, kind="complete_course", title="Any course")
        with pytest.raises(InvalidInput) as refused:
            checklist_step_update(step=step, actor=manager, subject="not-a-course")
        assert "subject" in refused.value.fields
        checklist_step_update(step=step, actor=manager, subject=str(course.pk))
    api = Api(tenant_a, MembershipFactory(tenant=tenant_a, role="tenant_admin"))
    checklist = api.get(f"/api/v1/programs/{program.pk}/").json()["checklist"]
    assert [(row["kind"], row["subject"]) for row in checklist] == [("complete_course", str(course.pk))]


def test_the_program_admin_offers_the_published_courses_as_step_subjects(tenant_a, member):
    course, _ids = quiz_course(tenant_a, title="Selling the platform")
    admin = portal_client(tenant_a, member(tenant_a, role=Role.TENANT_ADMIN).user)
    page = admin.get("/admin/partners/program/add/").content.decode()
    assert f'<option value="{course.pk}">Selling the platform</option>' in page
    step = {"position": "1", "kind": "complete_course", "subject": str(course.pk), "title": "Get certified"}
    assert admin.post("/admin/partners/program/add/", program_post([step])).status_code == 302
    with tenant_context(tenant_a):
        assert list(ChecklistStepTemplate.objects.values_list("kind", "subject")) == [
            ("complete_course", str(course.pk))
        ]
