"""/api/v1/partner-applications/: public submission, manager review and decisions."""

import json

import pytest
from django.core import mail

from partners.models import Partner, PartnerApplication
from partners.services.applications import APPLICATIONS_PER_WINDOW
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import (
    MembershipFactory,
    PartnerApplicationFactory,
    PartnerFactory,
    ProgramFactory,
    issue_token,
    partner_member,
)
from .recruit_support import open_program, submission

URL = "/api/v1/partner-applications/"


@pytest.fixture
def program(tenant_a):
    return open_program(tenant_a)


def post(client, path, data=None, **extra):
    return client.post(path, json.dumps(data or {}), content_type="application/json", **extra)


def bearer(tenant, role=Role.CHANNEL_MANAGER) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(MembershipFactory(tenant=tenant, role=role))}"}


def stored(tenant) -> list:
    with tenant_context(tenant):
        return list(PartnerApplication.objects.all())


# --- Public submission ------------------------------------------------------------------------
def test_anyone_can_apply_and_gets_a_receipt_without_internal_fields(
    tenant_a, tenant_b, program, celery_eager, django_capture_on_commit_callbacks
):
    open_program(tenant_b)
    PartnerFactory(program=program, domain="nimbus.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(portal_client(tenant_a), URL, submission())
    assert response.status_code == 201
    assert response.json() == {
        "program": "resellers",
        "company_name": "Nimbus IT",
        "contact_email": "nora@nimbus.example",
        "status": "submitted",
        "created_at": response.json()["created_at"],
    }
    [application] = stored(tenant_a)
    assert application.is_flagged_duplicate  # flagged for the vendor, not told to the applicant
    assert stored(tenant_b) == []  # the host decides the tenant
    assert [message.to for message in mail.outbox] == [["nora@nimbus.example"]]


def test_the_program_is_chosen_by_slug_among_public_programs(tenant_a, program):
    ProgramFactory(tenant=tenant_a, slug="apps", name="Apps", position=9)
    ProgramFactory(tenant=tenant_a, slug="pilot", is_public=False)
    client = portal_client(tenant_a)
    assert post(client, URL, submission(program="apps", answers={})).json()["program"] == "apps"
    for slug in ("pilot", "nope"):
        response = post(client, URL, submission(program=slug, website=f"https://{slug}.example"))
        assert response.status_code == 400
        assert "program" in response.json()["error"]["fields"]
    assert len(stored(tenant_a)) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"contact_email": "nora"}, "contact_email"),
        ({"types": ["wizard"]}, "types.0"),
        ({"expected_annual_revenue": "-1.00"}, "expected_annual_revenue"),
        ({"expected_annual_revenue": 1.5}, None),  # a JSON number is accepted and stored exactly
        ({"answers": {"team": "3"}}, "answers.why"),
        ({"answers": {"why": "x", "colour": "blue"}}, "answers.colour"),
        ({"company_name": ""}, "company_name"),
    ],
)
def test_invalid_submissions_answer_400_per_field_and_store_nothing(tenant_a, program, overrides, field):
    response = post(portal_client(tenant_a), URL, submission(**overrides))
    if field is None:
        assert response.status_code == 201
        assert str(stored(tenant_a)[0].expected_annual_revenue) == "1.50"
        return
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "validation_error" and field in body["fields"]
    assert stored(tenant_a) == []


def test_submissions_are_throttled_per_client_ip_in_the_error_envelope(tenant_a, program):
    client = portal_client(tenant_a)
    for number in range(APPLICATIONS_PER_WINDOW):
        assert post(client, URL, submission(website=f"https://c{number}.example")).status_code == 201
    response = post(client, URL, submission(website="https://more.example"))
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert post(client, URL, submission(), REMOTE_ADDR="198.51.100.20").status_code == 201
    assert len(stored(tenant_a)) == APPLICATIONS_PER_WINDOW + 1


# --- Review ------------------------------------------------------------------------------------
def test_only_vendor_staff_can_list(tenant_a, program):
    PartnerApplicationFactory(program=program)
    client = portal_client(tenant_a)
    assert client.get(URL).status_code == 401
    partner_token = issue_token(partner_member(PartnerFactory(program=program)))
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {partner_token}").status_code == 403
    assert client.get(URL, **bearer(tenant_a, Role.VENDOR_STAFF)).status_code == 200


def test_list_shows_flags_money_as_strings_and_filters(tenant_a, program):
    partner = PartnerFactory(program=program, domain="nimbus.example")
    flagged = PartnerApplicationFactory(program=program, duplicate_of_partner=partner, expected_annual_revenue="1250.5")
    PartnerApplicationFactory(program=program, status="rejected")
    client, auth = portal_client(tenant_a), bearer(tenant_a, Role.VENDOR_STAFF)
    body = client.get(URL, **auth).json()
    assert body["count"] == 2
    row = next(result for result in body["results"] if result["id"] == flagged.pk)
    assert row["duplicate"] is True and row["duplicate_of_partner"] == partner.pk
    assert row["expected_annual_revenue"] == "1250.50" and row["currency"] == "USD"
    assert row["program"] == "resellers" and row["status"] == "submitted"
    assert [r["id"] for r in client.get(f"{URL}?duplicate=true", **auth).json()["results"]] == [flagged.pk]
    assert client.get(f"{URL}?status=rejected", **auth).json()["count"] == 1
    assert client.get(f"{URL}?duplicate=false&status=submitted", **auth).json()["count"] == 0
    response = client.get(f"{URL}?status=pending", **auth)
    assert response.status_code == 400 and "status" in response.json()["error"]["fields"]


def test_list_query_count_is_fixed(tenant_a, program, django_assert_num_queries):
    PartnerApplicationFactory(program=program)
    client, auth = portal_client(tenant_a), bearer(tenant_a, Role.VENDOR_STAFF)
    client.get(URL, **auth)
    # tenant by host, enter context, token, membership, count, page (with its joins), leave context
    with django_assert_num_queries(7):
        client.get(URL, **auth)
    for _ in range(10):
        PartnerApplicationFactory(program=program, duplicate_of_application=PartnerApplicationFactory(program=program))
    with django_assert_num_queries(7):
        client.get(URL, **auth)


def test_manager_approves_and_a_second_decision_is_a_409(
    tenant_a, program, celery_eager, django_capture_on_commit_callbacks
):
    application = PartnerApplicationFactory(program=program, contact_email="ada@applicant.example")
    client, auth = portal_client(tenant_a), bearer(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{URL}{application.pk}/approve/", **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["partner"] is not None
    with tenant_context(tenant_a):
        assert Partner.objects.get(pk=body["partner"]).status == "onboarding"
    assert len(mail.outbox) == 2  # the approval and the partner admin's invitation
    response = post(client, f"{URL}{application.pk}/reject/", {"reason": "Too late"}, **auth)
    assert response.status_code == 409
    assert response.json()["error"]["current_state"] == "approved"


def test_reject_and_request_info_need_their_text(tenant_a, program, celery_eager, django_capture_on_commit_callbacks):
    application = PartnerApplicationFactory(program=program)
    client, auth = portal_client(tenant_a), bearer(tenant_a, Role.TENANT_ADMIN)
    assert post(client, f"{URL}{application.pk}/reject/", {}, **auth).status_code == 400
    assert post(client, f"{URL}{application.pk}/request-info/", {"message": ""}, **auth).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{URL}{application.pk}/request-info/", {"message": "Your references?"}, **auth)
    assert response.status_code == 200 and response.json()["status"] == "info_requested"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{URL}{application.pk}/reject/", {"reason": "No references."}, **auth)
    assert response.json()["status"] == "rejected" and response.json()["decision_reason"] == "No references."
    assert "Your references?" in mail.outbox[0].body
    assert "No references." in mail.outbox[1].body


def test_vendor_staff_may_read_but_not_decide(tenant_a, program):
    application = PartnerApplicationFactory(program=program)
    client, auth = portal_client(tenant_a), bearer(tenant_a, Role.VENDOR_STAFF)
    assert client.get(f"{URL}{application.pk}/", **auth).status_code == 200
    assert post(client, f"{URL}{application.pk}/approve/", **auth).status_code == 403


def test_approving_a_taken_domain_is_a_409_duplicate(tenant_a, program):
    application = PartnerApplicationFactory(program=program, domain="nimbus.example", website="https://nimbus.example")
    PartnerFactory(program=program, domain="nimbus.example")
    response = post(portal_client(tenant_a), f"{URL}{application.pk}/approve/", **bearer(tenant_a))
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"
    with tenant_context(tenant_a):
        assert Partner.objects.count() == 1
