"""Recruitment services: submission (validation, duplicate flags, rate limit, honeypot), decisions, emails."""

import contextlib
from decimal import Decimal

import pytest
from django.core import mail

from partners.models import OnboardingStep, Partner, PartnerApplication, PartnerUser
from partners.services import application_approve, application_reject, application_request_info, application_submit
from partners.services.applications import APPLICATIONS_PER_WINDOW, TooManyApplications, application_spam_trapped
from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.tenancy.context import tenant_context

from ..factories import MembershipFactory, PartnerApplicationFactory, PartnerFactory, ProgramFactory, UserFactory
from .recruit_support import open_program, submission


@pytest.fixture
def acting(celery_eager, django_capture_on_commit_callbacks):
    """`with acting(tenant):` act for `tenant`; the on-commit tasks (emails) run when the block ends."""

    @contextlib.contextmanager
    def block(tenant):
        with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
            yield

    return block


@pytest.fixture
def program(tenant_a):
    return open_program(tenant_a)


@pytest.fixture
def manager(tenant_a):
    return MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user


def submit(client_ip="192.0.2.1", **overrides):
    return application_submit(**submission(**overrides), client_ip=client_ip)


def test_submission_is_stored_cleaned_and_acknowledged(tenant_a, program, acting):
    tenant_a.default_language = "nl"
    tenant_a.save()
    with acting(tenant_a):
        application = submit(country="nl", contact_email="Nora@Nimbus.example")
    assert application.program == program  # the first public program
    assert application.status == "submitted"
    assert application.domain == "nimbus.example" and application.country == "NL"
    assert application.contact_email == "nora@nimbus.example"
    assert application.expected_annual_revenue == Decimal("250000.00")
    assert application.answers == {"why": "Our customers ask for you.", "team": "12"}
    assert application.submitted_from_ip == "192.0.2.1"
    assert not application.is_flagged_duplicate
    [ack] = mail.outbox
    assert ack.to == ["nora@nimbus.example"]
    # Rendered in the vendor's default language (the portal title comes from PRM's Dutch catalog).
    assert "Partnerportaal van Acme Cloud" in ack.subject
    assert "Resellers" in ack.body and "Nimbus IT" in ack.body
    with tenant_context(tenant_a):
        assert AuditEvent.objects.filter(action="partner_application.submit").count() == 1


def test_a_program_that_is_not_public_takes_no_applications(tenant_a, program):
    private = ProgramFactory(tenant=tenant_a, is_public=False)
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as refused:
            submit(program=private)
        assert "program" in refused.value.fields
        program.is_public = False
        program.save()
        with pytest.raises(InvalidInput, match="not accepting"):
            submit()
        assert not PartnerApplication.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "Netherlands"}, "country"),
        ({"contact_email": "nora-at-nimbus"}, "contact_email"),
        ({"types": ["wizard"]}, "types"),
        ({"types": []}, "types"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"verticals": ["alchemy"]}, "verticals"),
        ({"expected_annual_revenue": "-1"}, "expected_annual_revenue"),
        ({"expected_annual_revenue": "lots"}, "expected_annual_revenue"),
        ({"expected_annual_revenue": "1.005"}, "expected_annual_revenue"),
        ({"answers": {"team": "3"}}, "answers.why"),
        ({"answers": {"why": "Growth", "colour": "blue"}}, "answers.colour"),
        ({"website": "not a url"}, "website"),
        ({"company_name": "  "}, "company_name"),
    ],
)
def test_invalid_input_is_refused_field_by_field_and_changes_nothing(tenant_a, program, acting, overrides, field):
    with acting(tenant_a):
        with pytest.raises(InvalidInput) as refused:
            submit(**overrides)
        assert field in refused.value.fields
        assert not PartnerApplication.objects.exists()
    assert mail.outbox == []


def test_same_domain_as_a_partner_or_an_earlier_application_is_flagged(tenant_a, tenant_b, program):
    partner = PartnerFactory(program=program, domain="nimbus.example", website="https://nimbus.example")
    other_program = open_program(tenant_b)
    with tenant_context(tenant_a):
        first = submit()
        assert first.duplicate_of_partner == partner and first.duplicate_of_application is None
        second = submit(website="http://NIMBUS.example", company_name="Nimbus Again")
        assert second.duplicate_of_application == first and second.is_flagged_duplicate
        assert not submit(website="https://cumulus.example").is_flagged_duplicate
    # Another vendor's partners and applications are not this vendor's duplicates.
    with tenant_context(tenant_b):
        assert not submit(program=other_program).is_flagged_duplicate


def test_submissions_are_limited_per_vendor_and_client_ip(tenant_a, tenant_b, program):
    open_program(tenant_b)
    with tenant_context(tenant_a):
        for number in range(APPLICATIONS_PER_WINDOW):
            submit(website=f"https://company{number}.example")
        with pytest.raises(TooManyApplications) as refused:
            submit(website="https://one-more.example")
        assert refused.value.status == 429
        submit(website="https://one-more.example", client_ip="198.51.100.7")
        assert PartnerApplication.objects.count() == APPLICATIONS_PER_WINDOW + 1
    with tenant_context(tenant_b):
        submit()


def test_a_trapped_bot_counts_against_the_limit_and_leaves_nothing(tenant_a, program, acting):
    with acting(tenant_a):
        for _ in range(APPLICATIONS_PER_WINDOW):
            application_spam_trapped(client_ip="192.0.2.1")
        assert not PartnerApplication.objects.exists()
        with pytest.raises(TooManyApplications):
            submit()
    assert mail.outbox == []


def test_approval_creates_the_onboarding_partner_and_invites_its_admin(tenant_a, program, manager, acting):
    with tenant_context(tenant_a):
        application = submit()
    with acting(tenant_a):
        application = application_approve(application=application, actor=manager)
    with tenant_context(tenant_a):
        partner = Partner.objects.get()
        assert application.partner == partner
        assert application.status == "approved" and application.decided_by == manager
        assert partner.status == "onboarding" and partner.tier.name == "Registered"
        assert partner.name == "Nimbus IT" and partner.domain == "nimbus.example" and partner.program == program
        assert (partner.country, partner.types, partner.regions, partner.verticals) == (
            "NL",
            ["reseller", "msp"],
            ["europe"],
            ["healthcare"],
        )
        assert partner.channel_manager == manager
        assert [step.title for step in OnboardingStep.objects.filter(partner=partner).order_by("position")] == [
            "Accept the agreement",
            "Kick-off call",
        ]
        link = PartnerUser.objects.select_related("membership__user").get(partner=partner)
        assert link.membership.role == Role.PARTNER_ADMIN
        assert (link.membership.user.email, link.membership.user.full_name) == ("nora@nimbus.example", "Nora Nimbus")
        assert AuditEvent.objects.filter(action="partner_application.approve").count() == 1
    assert [message.to for message in mail.outbox] == [["nora@nimbus.example"]] * 2
    subjects = " | ".join(message.subject for message in mail.outbox)
    assert "approved" in subjects  # the outcome
    assert "invited" in subjects  # the way in (a password link)


def test_approval_is_refused_when_another_partner_has_the_domain(tenant_a, program, manager, acting):
    with tenant_context(tenant_a):
        application = submit()
    PartnerFactory(program=program, name="Nimbus Holding", domain="nimbus.example")
    with acting(tenant_a):
        with pytest.raises(Duplicate, match="Nimbus Holding"):
            application_approve(application=application, actor=manager)
        application.refresh_from_db()
        assert application.status == "submitted" and application.partner is None
        assert Partner.objects.count() == 1
        assert not Membership.objects.filter(user__email="nora@nimbus.example").exists()
    assert mail.outbox == []


def test_approval_rolls_back_when_the_contact_cannot_be_invited(tenant_a, program, manager):
    staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF, user=UserFactory(email="nora@nimbus.example"))
    with tenant_context(tenant_a):
        application = submit()
        with pytest.raises(Duplicate, match="vendor's own team"):
            application_approve(application=application, actor=manager)
        assert not Partner.objects.exists()
        assert Membership.objects.get(user=staff.user).role == Role.VENDOR_STAFF


def test_rejection_needs_a_reason_and_emails_it(tenant_a, program, manager, acting):
    with tenant_context(tenant_a):
        application = submit()
    with acting(tenant_a):
        with pytest.raises(InvalidInput) as refused:
            application_reject(application=application, actor=manager, reason="   ")
        assert "reason" in refused.value.fields
        application.refresh_from_db()
        assert application.status == "submitted"
        application_reject(application=application, actor=manager, reason="We already cover the Benelux.")
        application.refresh_from_db()
        assert application.status == "rejected" and application.decided_at is not None
    [message] = mail.outbox
    assert message.to == ["nora@nimbus.example"] and "We already cover the Benelux." in message.body


def test_info_request_emails_the_question_and_keeps_the_application_open(tenant_a, program, manager, acting):
    with tenant_context(tenant_a):
        application = submit()
    with acting(tenant_a):
        with pytest.raises(InvalidInput):
            application_request_info(application=application, actor=manager, message="")
        application_request_info(application=application, actor=manager, message="Which regions do you cover?")
        application.refresh_from_db()
        assert application.status == "info_requested"
        application_request_info(application=application, actor=manager, message="And your certifications?")
        application_approve(application=application, actor=manager)
    first, second = mail.outbox[:2]
    assert "Which regions do you cover?" in first.body and "And your certifications?" in second.body
    assert first.reply_to == [manager.email]  # the answer goes to the manager who asked
    assert len(mail.outbox) == 4 and "approved" in mail.outbox[-1].subject  # approve works from info_requested


@pytest.mark.parametrize("final", ["approved", "rejected"])
def test_decided_applications_refuse_further_decisions_with_409(tenant_a, manager, final):
    application = PartnerApplicationFactory(program=open_program(tenant_a), status=final)
    with tenant_context(tenant_a):
        for decide in (
            lambda: application_approve(application=application, actor=manager),
            lambda: application_reject(application=application, actor=manager, reason="No"),
            lambda: application_request_info(application=application, actor=manager, message="Why?"),
        ):
            with pytest.raises(StateConflict) as conflict:
                decide()
            assert conflict.value.current_state == final
