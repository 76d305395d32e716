"""Recruitment in the portal: the public join page and form, and the managers' review pages."""

import pytest
from django.core import mail

from partners.models import Partner, PartnerApplication
from partners.services.applications import APPLICATIONS_PER_WINDOW
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import MembershipFactory, PartnerApplicationFactory, PartnerFactory, ProgramFactory, partner_member
from .recruit_support import open_program


@pytest.fixture
def program(tenant_a):
    return open_program(
        tenant_a,
        summary="For resellers and VARs.",
        rules_of_engagement="Register every deal before the first meeting.",
    )


def form_data(**overrides) -> dict:
    return {
        "program": "resellers",
        "company_name": "Nimbus IT",
        "website": "nimbus.example",
        "contact_name": "Nora Nimbus",
        "contact_email": "nora@nimbus.example",
        "country": "NL",
        "types": ["reseller", "msp"],
        "regions": ["europe"],
        "verticals": ["healthcare"],
        "expected_annual_revenue": "250000",
        "q_why": "Our customers ask for you.",
        "q_team": "",
        "homepage": "",
        **overrides,
    }


def stored(tenant) -> int:
    with tenant_context(tenant):
        return PartnerApplication.objects.count()


# --- Public pages -----------------------------------------------------------------------------
def test_join_page_shows_public_programs_with_tier_benefits_and_rules(tenant_a, program, django_assert_num_queries):
    ProgramFactory(tenant=tenant_a, name="Secret pilot", is_public=False)
    client = portal_client(tenant_a)
    # tenant by host, enter its context, programs, their tiers, the public resources (content), leave
    with django_assert_num_queries(6):
        response = client.get("/join/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Become a partner of Acme Cloud" in page
    assert "Resellers" in page and "For resellers and VARs." in page and "Secret pilot" not in page
    assert page.index(">Registered<") < page.index(">Gold<")  # tiers in rank order
    for benefit in ("20 %", "7.50 %", "× 1.50", "15000 USD", "50 %", "Early beta access", "Two event tickets"):
        assert benefit in page
    assert "Register every deal before the first meeting." in page
    assert "/join/apply/?program=resellers" in page


def test_sign_in_page_invites_visitors_to_become_partners(tenant_a):
    assert 'href="/join/"' in portal_client(tenant_a).get("/accounts/login/").content.decode()


def test_form_asks_the_chosen_programs_questions(tenant_a, program):
    ProgramFactory(
        tenant=tenant_a,
        name="App builders",
        slug="apps",
        position=5,
        application_questions=[{"key": "app", "label": "Which app do you build?", "required": True}],
    )
    client = portal_client(tenant_a)
    page = client.get("/join/apply/").content.decode()
    assert "Why do you want to partner with us?" in page and "Which app do you build?" not in page
    page = client.get("/join/apply/?program=apps").content.decode()
    assert "Which app do you build?" in page and "Why do you want to partner with us?" not in page


def test_form_submission_stores_the_application_and_thanks_the_applicant(
    tenant_a, program, celery_eager, django_capture_on_commit_callbacks
):
    client = portal_client(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/apply/", form_data(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response.url == "/join/thanks/"
    assert "Thank you for applying" in client.get(response.url).content.decode()
    with tenant_context(tenant_a):
        application = PartnerApplication.objects.get()
    assert application.program_id == program.pk and application.website == "https://nimbus.example"
    assert application.answers == {"why": "Our customers ask for you."}
    assert application.submitted_from_ip == "203.0.113.9"
    assert [message.to for message in mail.outbox] == [["nora@nimbus.example"]]


def test_a_filled_honeypot_gets_the_thank_you_page_and_nothing_else(
    tenant_a, program, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client(tenant_a).post("/join/apply/", form_data(homepage="http://spam.example", country="?"))
    assert response.status_code == 302 and response.url == "/join/thanks/"
    assert stored(tenant_a) == 0 and mail.outbox == []


def test_too_many_submissions_from_one_address_get_a_clear_error(tenant_a, program):
    client = portal_client(tenant_a)
    for number in range(APPLICATIONS_PER_WINDOW):
        client.post("/join/apply/", form_data(website=f"company{number}.example"))
    response = client.post("/join/apply/", form_data(website="one-more.example"))
    assert response.status_code == 429
    assert "Too many applications from your network" in response.content.decode()
    assert stored(tenant_a) == APPLICATIONS_PER_WINDOW


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"country": "XX"}, "Select a valid choice"),
        ({"contact_email": "nora"}, "Enter a valid email address"),
        ({"types": ["wizard"]}, "Select a valid choice"),
        ({"expected_annual_revenue": "-5"}, "greater than or equal to 0"),
        ({"q_why": ""}, "This field is required"),
    ],
)
def test_invalid_form_input_shows_errors_and_stores_nothing(tenant_a, program, overrides, message):
    response = portal_client(tenant_a).post("/join/apply/", form_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert stored(tenant_a) == 0


def test_a_form_posted_on_a_host_lands_in_that_tenant_only(tenant_a, tenant_b, program):
    open_program(tenant_b)
    portal_client(tenant_b).post("/join/apply/", form_data())
    assert stored(tenant_a) == 0 and stored(tenant_b) == 1


# --- Review --------------------------------------------------------------------------------------
@pytest.fixture
def people(tenant_a):
    return {
        role: MembershipFactory(tenant=tenant_a, role=role).user
        for role in (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF)
    }


def test_review_list_flags_duplicates_and_filters(tenant_a, program, people, django_assert_num_queries):
    partner = PartnerFactory(program=program, name="Nimbus Holding", domain="nimbus.example")
    flagged = PartnerApplicationFactory(program=program, company_name="Nimbus IT", duplicate_of_partner=partner)
    PartnerApplicationFactory(program=program, company_name="Cumulus", status="rejected")
    client = portal_client(tenant_a, people[Role.VENDOR_STAFF])
    page = client.get("/applications/").content.decode()
    assert "Nimbus IT" in page and "Cumulus" in page and "Partner Nimbus Holding" in page
    page = client.get("/applications/?duplicate=true").content.decode()
    assert "Nimbus IT" in page and "Cumulus" not in page
    page = client.get("/applications/?status=rejected").content.decode()
    assert "Cumulus" in page and "Nimbus IT" not in page
    # tenant by host, enter context, session, user, membership, count, programs for the filter,
    # page (with program and duplicate links), leave context
    with django_assert_num_queries(9):
        client.get("/applications/")
    for number in range(10):
        PartnerApplicationFactory(program=program, duplicate_of_application=flagged, company_name=f"More {number}")
    with django_assert_num_queries(9):
        client.get("/applications/")


def test_review_pages_are_for_vendor_staff_only(tenant_a, program):
    application = PartnerApplicationFactory(program=program)
    partner_user = partner_member(PartnerFactory(program=program)).user
    for path in ("/applications/", f"/applications/{application.pk}/"):
        assert portal_client(tenant_a, partner_user).get(path).status_code == 403
        response = portal_client(tenant_a).get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_detail_shows_answers_and_duplicates_and_only_managers_decide(tenant_a, program, people):
    first = PartnerApplicationFactory(program=program, domain="nimbus.example", company_name="Nimbus (2023)")
    application = PartnerApplicationFactory(
        program=program,
        domain="nimbus.example",
        duplicate_of_application=first,
        answers={"why": "Our customers ask for you."},
    )
    staff_page = portal_client(tenant_a, people[Role.VENDOR_STAFF]).get(f"/applications/{application.pk}/")
    content = staff_page.content.decode()
    assert "Why do you want to partner with us?" in content and "Our customers ask for you." in content
    assert f'href="/applications/{first.pk}/"' in content and "Possible duplicate" in content
    assert 'id="decide"' not in content
    manager_page = portal_client(tenant_a, people[Role.CHANNEL_MANAGER]).get(f"/applications/{application.pk}/")
    assert 'id="decide"' in manager_page.content.decode()
    response = portal_client(tenant_a, people[Role.VENDOR_STAFF]).post(f"/applications/{application.pk}/approve")
    assert response.status_code == 403


def test_manager_approves_in_the_portal(tenant_a, program, people, celery_eager, django_capture_on_commit_callbacks):
    application = PartnerApplicationFactory(program=program, contact_email="ada@applicant.example")
    client = portal_client(tenant_a, people[Role.CHANNEL_MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/applications/{application.pk}/approve", follow=True)
    assert "is onboarding and its partner admin has been invited" in response.content.decode()
    with tenant_context(tenant_a):
        application.refresh_from_db()
        assert application.status == "approved" and application.partner.status == "onboarding"
    assert {tuple(message.to) for message in mail.outbox} == {("ada@applicant.example",)}
    # Decided: no more decisions, and the page says why.
    response = client.post(f"/applications/{application.pk}/reject", {"reason": "Changed my mind"}, follow=True)
    assert "already approved" in response.content.decode()


def test_reject_needs_a_reason_and_request_info_a_message(tenant_a, program, people):
    application = PartnerApplicationFactory(program=program)
    client = portal_client(tenant_a, people[Role.TENANT_ADMIN])
    response = client.post(f"/applications/{application.pk}/reject", {"reason": " "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(f"/applications/{application.pk}/request-info", {"message": "Your certifications?"})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        application.refresh_from_db()
        assert application.status == "info_requested" and application.info_request == "Your certifications?"
    client.post(f"/applications/{application.pk}/reject", {"reason": "No coverage needed."})
    with tenant_context(tenant_a):
        application.refresh_from_db()
        assert application.status == "rejected" and application.decision_reason == "No coverage needed."
    assert client.post(f"/applications/{application.pk}/no-such-action").status_code == 404


def test_approving_a_taken_domain_explains_and_creates_nothing(tenant_a, program, people):
    application = PartnerApplicationFactory(program=program, domain="nimbus.example", website="https://nimbus.example")
    PartnerFactory(program=program, name="Nimbus Holding", domain="nimbus.example")
    client = portal_client(tenant_a, people[Role.CHANNEL_MANAGER])
    response = client.post(f"/applications/{application.pk}/approve", follow=True)
    assert "Nimbus Holding already uses the domain nimbus.example" in response.content.decode()
    with tenant_context(tenant_a):
        assert Partner.objects.count() == 1
        application.refresh_from_db()
        assert application.status == "submitted"


def test_managers_see_the_applications_nav_item(tenant_a, people, program):
    assert ">Applications</a>" in portal_client(tenant_a, people[Role.VENDOR_STAFF]).get("/").content.decode()
    partner_user = partner_member(PartnerFactory(program=program)).user
    assert ">Applications</a>" not in portal_client(tenant_a, partner_user).get("/").content.decode()
