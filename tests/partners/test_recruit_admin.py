"""PartnerApplication in the tenant admin: read-only rows, a duplicate filter, decisions as actions."""

import pytest
from django.core import mail

from partners.models import PartnerApplication
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import MembershipFactory, PartnerApplicationFactory, PartnerFactory
from .recruit_support import open_program

CHANGELIST = "/admin/partners/partnerapplication/"


@pytest.fixture
def program(tenant_a):
    return open_program(tenant_a)


def status_of(tenant, application) -> str:
    with tenant_context(tenant):
        return PartnerApplication.objects.get(pk=application.pk).status


def test_changelist_shows_and_filters_duplicates(tenant_a, program):
    partner = PartnerFactory(program=program, name="Nimbus Holding", domain="nimbus.example")
    PartnerApplicationFactory(program=program, company_name="Nimbus IT", duplicate_of_partner=partner)
    PartnerApplicationFactory(program=program, company_name="Cumulus BV")
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF).user)
    page = client.get(CHANGELIST).content.decode()
    assert "partner Nimbus Holding" in page and "Cumulus BV" in page
    page = client.get(f"{CHANGELIST}?duplicate=yes").content.decode()
    assert "Nimbus IT" in page and "Cumulus BV" not in page


def test_rows_are_read_only_and_staff_cannot_decide(tenant_a, program):
    application = PartnerApplicationFactory(program=program)
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF).user)
    page = client.get(f"{CHANGELIST}{application.pk}/change/").content.decode()
    assert application.company_name in page and 'name="_save"' not in page
    assert 'value="approve"' not in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [application.pk]})
    assert status_of(tenant_a, application) == "submitted"
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_approve_action_calls_the_service(tenant_a, program, celery_eager, django_capture_on_commit_callbacks):
    applications = [PartnerApplicationFactory(program=program) for _ in range(2)]
    decided = PartnerApplicationFactory(program=program, status="rejected")
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user)
    assert 'value="approve"' in client.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [a.pk for a in [*applications, decided]]},
            follow=True,
        )
    page = response.content.decode()
    assert "2 applications approved" in page and "already rejected" in page
    assert [status_of(tenant_a, a) for a in applications] == ["approved", "approved"]
    assert len(mail.outbox) == 4  # per application: the approval and the partner admin's invitation


@pytest.mark.parametrize(
    ("action", "status", "field"),
    [("reject", "rejected", "decision_reason"), ("request_info", "info_requested", "info_request")],
)
def test_reject_and_request_info_ask_for_the_text_first(
    tenant_a, program, celery_eager, django_capture_on_commit_callbacks, action, status, field
):
    application = PartnerApplicationFactory(program=program)
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user)
    selection = {"action": action, "_selected_action": [application.pk]}
    response = client.post(CHANGELIST, selection)
    assert response.status_code == 200 and 'name="text"' in response.content.decode()
    response = client.post(CHANGELIST, {**selection, "apply": "1", "text": ""})
    assert "This field is required" in response.content.decode()
    assert status_of(tenant_a, application) == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {**selection, "apply": "1", "text": "Tell us about your team."})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        application.refresh_from_db()
    assert application.status == status and getattr(application, field) == "Tell us about your team."
    [message] = mail.outbox
    assert "Tell us about your team." in message.body
