"""Lead pages: the managers' list, form and detail (matching candidates, assignment), the partners' inbox
and answers; who sees what."""

import pytest

from deals.models import Deal, Lead, LeadAssignment
from deals.services import lead_assign, lead_reject
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import MembershipFactory
from .lead_support import a_lead, assigned_lead, lead_world


@pytest.fixture
def world(tenant_a):
    return lead_world(tenant_a)


def client_of(world, membership):
    return portal_client(world.tenant, membership.user)


def stored(world, lead) -> Lead:
    with tenant_context(world.tenant):
        return Lead.objects.get(pk=lead.pk)


# --- Managers ---------------------------------------------------------------------------------------------------
def test_manager_list_filters_by_status_partner_and_overdue(world, django_assert_num_queries):
    fresh = a_lead(world, company_name="Fresh Prospect")
    late = assigned_lead(world, hours_ago=50, company_name="Late Prospect")
    other = assigned_lead(world, world.other, company_name="Other Prospect")
    client = client_of(world, world.manager)
    client.get("/leads/")  # warm the session
    # tenant by host, enter its context, session, user, membership, count, partner choices, page, leave
    with django_assert_num_queries(9):
        page = client.get("/leads/").content.decode()
    for lead in (fresh, late, other):
        assert lead.company_name in page
    assert "Overdue" in page and "SLA missed" not in page and 'href="/leads/new"' in page
    page = client.get("/leads/?status=new").content.decode()
    assert "Fresh Prospect" in page and "Late Prospect" not in page
    page = client.get(f"/leads/?partner={world.other.pk}").content.decode()
    assert "Other Prospect" in page and "Late Prospect" not in page
    page = client.get("/leads/?overdue=true").content.decode()
    assert "Late Prospect" in page and "Other Prospect" not in page and "Fresh Prospect" not in page


def test_the_list_query_count_does_not_grow_with_the_leads(world, django_assert_num_queries):
    for index in range(12):
        assigned_lead(world, world.partner if index % 2 else world.other, company_name=f"Prospect {index}")
    client = client_of(world, world.manager)
    client.get("/leads/")
    with django_assert_num_queries(9):
        assert client.get("/leads/").status_code == 200


def test_staff_read_but_do_not_manage(world):
    lead = a_lead(world)
    staff = client_of(world, MembershipFactory(tenant=world.tenant, role=Role.VENDOR_STAFF))
    assert staff.get("/leads/").status_code == 200
    page = staff.get(f"/leads/{lead.pk}/").content.decode()
    assert "Matching partners" in page and "Assign to the best match" not in page
    assert staff.get("/leads/new").status_code == 403
    assert staff.post(f"/leads/{lead.pk}/assign", {"best": "1"}).status_code == 403
    assert stored(world, lead).status == "new"


def test_manager_creates_a_lead(world):
    client = client_of(world, world.manager)
    assert client.get("/leads/new").status_code == 200
    response = client.post(
        "/leads/new",
        {"company_name": "Globodyne", "country": "DE", "vertical": "healthcare", "context_notes": "Read the guide"},
    )
    with tenant_context(world.tenant):
        lead = Lead.objects.get()
    assert response.status_code == 302 and response.url == f"/leads/{lead.pk}/"
    assert (lead.company_name, lead.country, lead.created_by_id) == ("Globodyne", "DE", world.manager.user_id)


def test_the_form_shows_errors_and_stores_nothing(world):
    response = client_of(world, world.manager).post("/leads/new", {"company_name": "", "estimated_value": "-5"})
    assert response.status_code == 400
    assert response.content.decode().count('class="error"') == 2
    with tenant_context(world.tenant):
        assert not Lead.objects.exists()


def test_detail_shows_the_candidates_with_their_factor_points_and_assigns_the_best(world):
    lead = a_lead(world, company_name="Globodyne", context_notes="Watched the demo")
    client = client_of(world, world.manager)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert page.index(f'id="candidate-{world.partner.pk}"') < page.index(f'id="candidate-{world.other.pk}"')
    assert "<strong>75</strong>" in page and "<strong>45</strong>" in page
    response = client.post(f"/leads/{lead.pk}/assign", {"best": "1"})
    assert response.status_code == 302
    with tenant_context(world.tenant):
        assignment = LeadAssignment.objects.get(lead=lead)
    assert (assignment.partner_id, assignment.method, assignment.factors["total"]) == (world.partner.pk, "matched", 75)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Lead assigned to Nimbus IT." in page
    assert "Country +30, Region +15, Vertical +20, Tier rank +10 = 75" in page
    assert f'id="candidate-{world.partner.pk}"' not in page  # it has the lead now


def test_manager_assigns_by_hand_and_bad_choices_are_refused(world):
    lead = a_lead(world)
    client = client_of(world, world.manager)
    assert client.post(f"/leads/{lead.pk}/assign", {"partner": "999999"}).status_code == 400
    assert client.post(f"/leads/{lead.pk}/assign", {"partner": world.other.pk}).status_code == 302
    assert stored(world, lead).partner_id == world.other.pk
    with tenant_context(world.tenant):
        Lead.objects.filter(pk=lead.pk).update(status="accepted")
    response = client.post(f"/leads/{lead.pk}/assign", {"partner": world.partner.pk}, follow=True)
    assert "cannot be reassigned" in response.content.decode()
    assert stored(world, lead).partner_id == world.other.pk


# --- Partners ---------------------------------------------------------------------------------------------------
def test_inbox_shows_the_partners_own_leads_to_admins_and_reps(world, django_assert_num_queries):
    mine = assigned_lead(world, company_name="Mine Prospect")
    accepted = assigned_lead(world, company_name="Accepted Prospect")
    with tenant_context(world.tenant):
        Lead.objects.filter(pk=accepted.pk).update(status="accepted")
    theirs = assigned_lead(world, world.other, company_name="Their Prospect")
    # tenant, context, session, user, membership, partner link, (admins: agreement check), open leads, converted, leave
    for membership, queries in ((world.admin, 10), (world.rep, 9)):
        client = client_of(world, membership)
        client.get("/leads/inbox/")
        with django_assert_num_queries(queries):
            page = client.get("/leads/inbox/").content.decode()
        assert mine.company_name in page and accepted.company_name in page and theirs.company_name not in page
    assert "Their Prospect" in client_of(world, world.other_admin).get("/leads/inbox/").content.decode()


def test_partner_pages_and_manager_pages_are_for_their_own_side(world):
    partner_client = client_of(world, world.admin)
    assert partner_client.get("/leads/").status_code == 403
    assert partner_client.get("/leads/new").status_code == 403
    assert client_of(world, world.manager).get("/leads/inbox/").status_code == 403
    assert 'href="/leads/inbox/"' in partner_client.get("/").content.decode()
    assert 'href="/leads/"' in client_of(world, world.manager).get("/").content.decode()


def test_partner_detail_shows_context_and_countdown_but_no_other_partners(world):
    lead = assigned_lead(world, world.other, context_notes="Read the HIPAA whitepaper")
    with tenant_context(world.tenant):
        lead_reject(lead=lead, actor=world.other_admin.user, reason="Not for us")
        lead_assign(lead=lead, partner=world.partner, actor=world.manager.user)
    page = client_of(world, world.rep).get(f"/leads/{lead.pk}/").content.decode()
    assert "Read the HIPAA whitepaper" in page and "To be accepted or rejected within" in page
    assert "Cumulus BV" not in page and "Assignments" not in page
    assert "Accept the lead" in page


def test_partner_accepts_then_records_a_follow_up_then_converts(world):
    lead = assigned_lead(world, company_name="Globodyne", estimated_value=30000)
    client = client_of(world, world.rep)
    assert client.post(f"/leads/{lead.pk}/accept").status_code == 302
    assert stored(world, lead).status == "accepted"
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Register a deal from this lead" in page and "Record the first follow-up" in page
    assert client.post(f"/leads/{lead.pk}/first-action", {"note": "Called Pat"}).status_code == 302
    assert stored(world, lead).first_action_at is not None
    form = client.get(f"/leads/{lead.pk}/convert").content.decode()
    assert 'value="Globodyne"' in form and 'value="30000.00"' in form
    data = {
        "customer_name": "Globodyne",
        "country": "DE",
        "expected_close_date": "2027-03-31",
        "estimated_value": "30000",
        "currency": "USD",
    }
    assert client.post(f"/leads/{lead.pk}/convert", {**data, "expected_close_date": ""}).status_code == 400
    response = client.post(f"/leads/{lead.pk}/convert", data)
    assert response.status_code == 302
    with tenant_context(world.tenant):
        deal = Deal.objects.get()
    assert (deal.source, deal.lead_id, deal.registered_by_id) == ("vendor_lead", lead.pk, world.rep.user_id)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f"Registered as deal #{deal.pk}" in page
    assert client.get(f"/leads/{lead.pk}/convert", follow=True).redirect_chain[-1][0] == f"/leads/{lead.pk}/"


def test_reject_needs_a_reason(world):
    lead = assigned_lead(world)
    client = client_of(world, world.admin)
    response = client.post(f"/leads/{lead.pk}/reject", {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert stored(world, lead).status == "assigned"
    assert client.post(f"/leads/{lead.pk}/reject", {"reason": "Not our market"}).status_code == 302
    assert stored(world, lead).status == "new"
    assert client.get(f"/leads/{lead.pk}/").status_code == 404  # no longer theirs


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/leads/{pk}/"),
        ("post", "/leads/{pk}/accept"),
        ("post", "/leads/{pk}/reject"),
        ("post", "/leads/{pk}/first-action"),
        ("get", "/leads/{pk}/convert"),
        ("post", "/leads/{pk}/convert"),
    ],
)
def test_another_partners_lead_is_a_404(world, method, path):
    lead = assigned_lead(world, world.other)
    for membership in (world.admin, world.rep):
        response = getattr(client_of(world, membership), method)(path.format(pk=lead.pk), {"reason": "x"})
        assert response.status_code == 404
    assert stored(world, lead).status == "assigned"
