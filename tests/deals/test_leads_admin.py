"""Leads in the tenant admin: read-only rows with their assignments, best-match assignment as an action,
and the CSV import (all or nothing, with a line-by-line report)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deals.models import Lead, LeadAssignment
from deals.services import lead_assign_best
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import MembershipFactory
from .lead_support import a_lead, lead_world

CHANGELIST = "/admin/deals/lead/"
IMPORT = "/admin/deals/lead/import/"


@pytest.fixture
def world(tenant_a):
    return lead_world(tenant_a)


def csv_file(text: str, name: str = "leads.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_staff_see_read_only_leads_without_import_or_actions(world):
    lead = a_lead(world, company_name="Globodyne")
    client = portal_client(world.tenant, MembershipFactory(tenant=world.tenant, role=Role.VENDOR_STAFF).user)
    page = client.get(CHANGELIST).content.decode()
    assert "Globodyne" in page and IMPORT not in page and 'value="assign_best"' not in page
    page = client.get(f"{CHANGELIST}{lead.pk}/change/").content.decode()
    assert "Globodyne" in page and 'name="_save"' not in page
    assert client.get(IMPORT).status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_change_page_lists_the_assignments_with_their_factors(world):
    lead = a_lead(world)
    with tenant_context(world.tenant):
        lead_assign_best(lead=lead, actor=world.manager.user)
    page = portal_client(world.tenant, world.manager.user).get(f"{CHANGELIST}{lead.pk}/change/").content.decode()
    assert (
        "Nimbus IT" in page and "country +30, region +15, vertical +20, capability +0, tier +10, load +0 = 75" in page
    )


def test_assign_best_action(world):
    leads = [a_lead(world), a_lead(world, country="JP", region="asia_pacific", vertical="retail")]
    client = portal_client(world.tenant, world.manager.user)
    response = client.post(
        CHANGELIST, {"action": "assign_best", "_selected_action": [lead.pk for lead in leads]}, follow=True
    )
    page = response.content.decode()
    assert "1 lead assigned." in page and "No active partner matches" in page
    with tenant_context(world.tenant):
        assert list(LeadAssignment.objects.values_list("lead_id", "partner_id")) == [(leads[0].pk, world.partner.pk)]


def test_import_creates_the_leads(world):
    client = portal_client(world.tenant, world.manager.user)
    assert IMPORT in client.get(CHANGELIST).content.decode()
    assert client.get(IMPORT).status_code == 200
    content = "company_name,country,vertical,source_campaign\nGlobodyne,DE,healthcare,Webinar\nInitech,NL,,\n"
    response = client.post(IMPORT, {"file": csv_file(content)}, follow=True)
    assert "2 leads imported." in response.content.decode()
    with tenant_context(world.tenant):
        assert sorted(Lead.objects.values_list("company_name", "created_by")) == [
            ("Globodyne", world.manager.user_id),
            ("Initech", world.manager.user_id),
        ]


def test_a_bad_import_imports_nothing_and_reports_each_line(world):
    client = portal_client(world.tenant, world.manager.user)
    response = client.post(IMPORT, {"file": csv_file("company_name,country\nGlobodyne,DE\n,XX\n")})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in page
    assert "<td>3</td><td>company_name</td>" in page and "<td>3</td><td>country</td>" in page
    response = client.post(IMPORT, {"file": csv_file("name\nGlobodyne\n")})
    assert response.status_code == 400 and "including company_name" in response.content.decode()
    with tenant_context(world.tenant):
        assert not Lead.objects.exists()
