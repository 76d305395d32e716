"""Demo data: training. Per demo tenant two published courses: "Selling the platform" (an article, a video link, a
PDF handbook made with reportlab and a four-question quiz, single and multiple choice, earning a 24-month
certification) and "Partner onboarding essentials" (three lessons and a short quiz, no certification). Reps of the
first partners take the quizzes (passes and fails); of the certifications earned one expires within 30 days and
one has expired. The first program's checklist gains an optional step "Complete Selling the platform" (partners
onboarded from now on get it).

Everything goes through the services; afterwards the certifications' dates are moved back (timestamps only).
Idempotent: a tenant that has the demo courses is left as it is."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from partners.models import PartnerUser, Program
from partners.services import checklist_step_add
from prm.accounts.models import User
from prm.accounts.roles import Role

from ..models import Certification, Course, Question
from ..services import attempt_submit, course_create, course_publish, lesson_add, lesson_complete, question_add
from ..training_feeds import COMPLETE_COURSE

SELLING, ONBOARDING = "Selling the platform", "Partner onboarding essentials"

SELLING_QUIZ = [
    ("single", "Which customer problem does the platform solve first?", "The discovery call finds it.",
     [("Unplanned downtime", True), ("Office furniture", False), ("Payroll", False)]),
    ("multiple", "Which of these belong in a first meeting?", "Listen first, then show.",
     [("Discovery questions", True), ("A short demo", True), ("A signed contract", False)]),
    ("single", "When do you register a deal?", "Registering early protects your work.",
     [("As soon as the opportunity is qualified", True), ("After the customer has paid", False)]),
    ("multiple", "Which proof helps a customer decide?", "Peers and numbers convince.",
     [("A reference customer", True), ("An ROI estimate", True), ("A discount only", False)]),
]  # fmt: skip
ONBOARDING_QUIZ = [
    ("single", "Where do you find the partner agreement?", "", [("In the portal", True), ("By fax", False)]),
    ("multiple", "What completes your onboarding?", "Every required step counts.",
     [("Accepting the agreement", True), ("Completing the profile", True), ("Waiting", False)]),
]  # fmt: skip


def _handbook_pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica-Bold", 20)
    page.drawString(72, 760, title)
    page.setFont("Helvetica", 12)
    for line, text in enumerate(["Know the customer.", "Register the deal early.", "Show proof, not features."]):
        page.drawString(72, 720 - line * 20, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _course(actor, *, title, summary, stage, certification_title, lessons, quiz, upload_title=None):
    course = course_create(
        actor=actor,
        title=title,
        summary=summary,
        stage=stage,
        pass_mark=75,
        certification_title=certification_title,
        certification_months=24,
    )
    for kind, lesson_title, value, minutes in lessons:
        if kind == "article":
            lesson_add(actor=actor, course=course, kind=kind, title=lesson_title, body=value, minutes=minutes)
        elif kind == "video":
            lesson_add(actor=actor, course=course, kind=kind, title=lesson_title, url=value, minutes=minutes)
        else:
            upload = SimpleUploadedFile(f"{value}.pdf", _handbook_pdf(upload_title or title))
            lesson_add(actor=actor, course=course, kind=kind, title=lesson_title, upload=upload, minutes=minutes)
    for kind, text, explanation, choices in quiz:
        question_add(actor=actor, course=course, text=text, kind=kind, explanation=explanation, choices=choices)
    return course_publish(actor=actor, course=course)


def _answers(course: Course, *, right: bool) -> dict:
    answers = {}
    for question in Question.objects.filter(course=course).prefetch_related("choices"):
        choices = list(question.choices.all())
        picked = [c.pk for c in choices if c.is_correct] if right else [next(c.pk for c in choices if not c.is_correct)]
        answers[str(question.pk)] = picked
    return answers


def seed(tenant, out) -> None:
    """Seed this area's demo data for `tenant` (idempotent)."""
    if Course.objects.filter(title=SELLING).exists():
        return
    actor = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    selling = _course(
        actor,
        title=SELLING,
        summary="Find the customer's problem, show the proof and register the deal: the seller's path in 30 minutes.",
        stage="selling",
        certification_title="Certified platform seller",
        lessons=[
            ("article", "Who buys and why", "<h2>Who buys</h2><p>IT leads with <strong>uptime</strong> goals.</p>", 8),
            ("video", "A first meeting, recorded", "https://video.example/first-meeting", 12),
            ("file", "The seller's handbook", "sellers-handbook", 10),
            ("article", "Registering the deal", "<p>Register as soon as the opportunity is qualified.</p>", 4),
        ],
        quiz=SELLING_QUIZ,
        upload_title="The seller's handbook",
    )
    onboarding = _course(
        actor,
        title=ONBOARDING,
        summary="Your first week as a partner: the agreement, the profile, the portal.",
        stage="onboarding",
        certification_title="",
        lessons=[
            ("article", "Welcome", "<p>Welcome to the program. Here is what happens in your first week.</p>", 3),
            ("video", "A tour of the portal", "https://video.example/portal-tour", 6),
            ("file", "Onboarding checklist", "onboarding-checklist", 5),
        ],
        quiz=ONBOARDING_QUIZ,
    )
    program = Program.objects.order_by("position", "pk").first()
    if program is not None:
        checklist_step_add(
            program=program,
            actor=actor,
            kind=COMPLETE_COURSE,
            subject=str(selling.pk),
            title=f"Complete “{SELLING}”",
            is_required=False,
            position=99,
        )
    reps = list(
        PartnerUser.objects.filter(membership__role=Role.PARTNER_REP, membership__is_active=True)
        .select_related("partner", "membership__user")
        .order_by("partner__name", "membership__user__email")[:8]
    )
    certifications = []
    for index, link in enumerate(reps):
        user, partner = link.membership.user, link.partner
        if index % 4 == 3:  # fails and has not tried again yet
            attempt_submit(course=selling, user=user, partner=partner, answers=_answers(selling, right=False))
            continue
        if index % 2:
            attempt_submit(course=selling, user=user, partner=partner, answers=_answers(selling, right=False))
        result = attempt_submit(course=selling, user=user, partner=partner, answers=_answers(selling, right=True))
        certifications.append(result.certification)
        attempt_submit(course=onboarding, user=user, partner=partner, answers=_answers(onboarding, right=index < 4))
        for lesson in selling.lessons.all():
            lesson_complete(user=user, lesson=lesson)
    now = timezone.now()
    if certifications:  # one expires within 30 days
        earned = now - timedelta(days=24 * 30 + 10)
        Certification.objects.filter(pk=certifications[0].pk).update(
            earned_at=earned, expires_at=now + timedelta(days=20)
        )
    if len(certifications) > 1:  # one has expired
        Certification.objects.filter(pk=certifications[1].pk).update(
            earned_at=now - timedelta(days=800),
            expires_at=now - timedelta(days=30),
            status=Certification.Status.EXPIRED,
            ended_at=now - timedelta(days=30),
        )
    out.write(f"  {tenant.slug}: 2 courses, {len(reps)} reps took quizzes, {len(certifications)} certifications\n")
