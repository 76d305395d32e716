"""Vendor side: directory filters and search, coverage counts, partner page, lifecycle actions and manager."""

import re

import pytest

from partners.models import Partner, PartnerStatusChange
from partners.selectors import coverage_matrix
from partners.services import partner_assign_manager
from prm.accounts.roles import Role
from prm.errors import InvalidInput
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory

from .company_setup import bearer, company_world


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="partner-(\d+)"', response.content.decode())}


@pytest.fixture
def d(tenant_a):
    """Four partners with hand-picked profiles (the coverage example counts these)."""
    world = company_world(tenant_a)
    apps = ProgramFactory(tenant=tenant_a, name="Apps", slug="apps")
    gold = TierFactory(program=apps, rank=1, name="Gold")
    cm = world["manager"].user
    p = {
        "alpha": PartnerFactory(
            program=apps, tier=gold, name="Alpha Cloud", domain="alpha.example", country="US",
            regions=["north_america", "europe"], types=["msp"], verticals=["healthcare", "retail"],
            capabilities=["migration", "support"], status="active", channel_manager=cm,
        ),
        "beta": PartnerFactory(
            program=apps, tier=gold, name="Beta Systems", domain="beta.example", country="DE",
            regions=["europe"], types=["msp", "isv"], verticals=["retail"],
            capabilities=["migration"], status="onboarding",
        ),
        "gamma": PartnerFactory(
            program=apps, tier=None, name="Gamma Partners", domain="gamma.example", country="US",
            regions=["north_america"], types=["referral"], verticals=[],
            capabilities=["support", "training"], status="suspended",
        ),
    }  # fmt: skip
    world.update(p, apps=apps, gold=gold)
    return world


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=msp", {"alpha", "beta"}),
        ("type=isv&type=referral", {"beta", "gamma"}),
        ("region=north_america", {"alpha", "gamma"}),
        ("country=US", {"alpha", "gamma"}),
        ("vertical=retail", {"alpha", "beta"}),
        ("capability=support", {"alpha", "gamma"}),
        ("capability=support&region=europe", {"alpha"}),
        ("status=active", {"alpha", "partner", "other"}),
        ("status=onboarding&status=suspended", {"beta", "gamma"}),
        ("q=beta", {"beta"}),
        ("q=GAMMA.example", {"gamma"}),
        ("program={apps}", {"alpha", "beta", "gamma"}),
        ("tier={gold}", {"alpha", "beta"}),
        ("channel_manager={cm}", {"alpha"}),
    ],
)
def test_directory_filters_and_search(tenant_a, d, query, expected):
    query = query.format(apps=d["apps"].pk, gold=d["gold"].pk, cm=d["manager"].user_id)
    ids = {d[key].pk for key in expected}
    assert listed(portal_client(tenant_a, d["staff"].user).get(f"/partners/?{query}")) == ids
    body = portal_client(tenant_a).get(f"/api/v1/partners/?{query}", **bearer(d["staff"])).json()
    assert {row["id"] for row in body["results"]} == ids


def test_bad_filter_values_are_reported(tenant_a, d):
    page = portal_client(tenant_a, d["staff"].user).get("/partners/?country=XX&tier=999999")
    assert page.status_code == 200 and listed(page) == set()
    assert "Select a valid choice" in page.content.decode()
    response = portal_client(tenant_a).get("/api/v1/partners/?region=atlantis", **bearer(d["staff"]))
    assert response.status_code == 400 and "region" in response.json()["error"]["fields"]


def test_partner_users_and_other_tenants_are_not_in_the_directory(tenant_a, tenant_b, d):
    company_world(tenant_b)
    assert portal_client(tenant_a, d["admin"].user).get("/partners/").status_code == 403
    assert len(listed(portal_client(tenant_a, d["staff"].user).get("/partners/"))) == 5
    own = portal_client(tenant_a).get("/api/v1/partners/", **bearer(d["rep"])).json()
    assert [row["id"] for row in own["results"]] == [d["partner"].pk]


def test_directory_query_count_does_not_grow_with_partners(tenant_a, d, django_assert_num_queries):
    client = portal_client(tenant_a, d["staff"].user)
    client.get("/partners/")  # warm caches
    # tenant, enter context, session, user, membership; count, page; program, tier, manager choices; leave
    with django_assert_num_queries(11):
        client.get("/partners/?status=active&status=onboarding&status=suspended")
    for index in range(12):
        PartnerFactory(program=d["apps"], tier=d["gold"], channel_manager=d["manager"].user, name=f"More {index}")
    with django_assert_num_queries(11):
        response = client.get("/partners/?status=active&status=onboarding&status=suspended")
    assert len(listed(response)) == 17


def test_api_list_query_count_does_not_grow(tenant_a, d, django_assert_num_queries):
    client, auth = portal_client(tenant_a), bearer(d["staff"])
    client.get("/api/v1/partners/", **auth)
    with django_assert_num_queries(7):
        client.get("/api/v1/partners/", **auth)
    for index in range(12):
        PartnerFactory(program=d["apps"], tier=d["gold"], channel_manager=d["manager"].user, name=f"More {index}")
    with django_assert_num_queries(7):
        assert client.get("/api/v1/partners/", **auth).json()["count"] == 17


def test_the_directory_shows_onboarding_progress(tenant_a, d):
    from partners.services import onboarding_checklist_create, onboarding_event_record
    from tests.factories import ChecklistStepTemplateFactory

    ChecklistStepTemplateFactory(program=d["apps"], kind="invite_rep")
    ChecklistStepTemplateFactory(program=d["apps"], kind="upload_logo")
    with tenant_context(tenant_a):
        onboarding_checklist_create(partner=d["beta"])
        onboarding_event_record(partner=d["beta"], kind="invite_rep")
    page = portal_client(tenant_a, d["staff"].user).get("/partners/?q=beta").content.decode()
    assert '<progress max="100" value="50"></progress> 50%' in page
    body = portal_client(tenant_a).get(f"/api/v1/partners/{d['beta'].pk}/", **bearer(d["staff"])).json()
    assert body["onboarding_progress"] == 50


def test_the_directory_names_partner_types_in_words(tenant_a, d):
    page = portal_client(tenant_a, d["staff"].user).get("/partners/?q=beta").content.decode()
    assert "Managed service provider, ISV / app builder" in page and "msp" not in page.split("<tbody")[-1]


# --- Coverage -------------------------------------------------------------------------------------
def test_coverage_counts_a_partner_in_each_of_its_values(tenant_a, d):
    """Region × capability over the five partners (the two of the world: Europe, no capabilities):

    alpha: north_america+europe × migration+support; beta: europe × migration; gamma: north_america ×
    support+training. Cells: europe×migration 2 (alpha, beta), europe×support 1, north_america×migration 1,
    north_america×support 2 (alpha, gamma), north_america×training 1. Row totals count partners once:
    europe 4 (alpha, beta, partner, other), north_america 2. Column totals: migration 2, support 2, training 1.
    """
    with tenant_context(tenant_a):
        result = coverage_matrix(Partner.objects.all(), rows="region", cols="capability")
    assert result.cells == {
        ("europe", "migration"): 2,
        ("europe", "support"): 1,
        ("north_america", "migration"): 1,
        ("north_america", "support"): 2,
        ("north_america", "training"): 1,
    }
    assert result.row_totals == {"europe": 4, "north_america": 2}
    assert result.col_totals == {"migration": 2, "support": 2, "training": 1}
    assert result.total == 5
    assert [value for value, _label in result.rows][:2] == ["north_america", "latin_america"]  # all regions listed


def test_coverage_with_scalar_dimensions_and_a_filter(tenant_a, d):
    with tenant_context(tenant_a):
        active = Partner.objects.filter(status__in=["active", "suspended"])
        result = coverage_matrix(active, rows="country", cols="tier")
    assert result.rows == [("NL", "Netherlands"), ("US", "United States")]
    assert result.cells == {
        ("NL", str(d["tier"].pk)): 2,
        ("US", str(d["gold"].pk)): 1,
    }
    assert result.row_totals == {"NL": 2, "US": 2}  # gamma has no tier: counted in its row, in no cell
    assert result.total == 4


def test_coverage_page_links_each_cell_to_the_filtered_directory(tenant_a, d):
    client = portal_client(tenant_a, d["staff"].user)
    page = client.get("/coverage/?rows=region&cols=type&status=active").content.decode()
    link = re.search(r'<a href="(/partners/\?[^"]*region=north_america[^"]*type=msp[^"]*)">1</a>', page)
    assert link, page
    url = link.group(1).replace("&amp;", "&")
    assert "status=active" in url
    assert listed(client.get(url)) == {d["alpha"].pk}
    same = client.get("/coverage/?rows=region&cols=region")
    assert "Choose two different dimensions." in same.content.decode()
    assert portal_client(tenant_a, d["admin"].user).get("/coverage/").status_code == 403


def test_coverage_query_count_is_fixed(tenant_a, d, django_assert_num_queries):
    client = portal_client(tenant_a, d["staff"].user)
    client.get("/coverage/?rows=vertical&cols=capability")
    # tenant, enter context, session, user, membership; the matrix; program, tier, manager choices; leave
    with django_assert_num_queries(10):
        client.get("/coverage/?rows=vertical&cols=capability")
    for index in range(12):
        PartnerFactory(program=d["apps"], verticals=["retail"], capabilities=["support"], name=f"More {index}")
    with django_assert_num_queries(10):
        page = client.get("/coverage/?rows=vertical&cols=capability").content.decode()
    assert re.search(r'vertical=retail[^"]*capability=support">13</a>', page)


# --- Partner page and lifecycle -------------------------------------------------------------------
def test_partner_page_shows_profile_people_history_and_plans_link(tenant_a, d):
    page = portal_client(tenant_a, d["staff"].user).get(f"/partners/{d['partner'].pk}/").content.decode()
    assert "Nimbus IT" in page and d["admin"].user.email in page and d["rep"].user.email in page
    assert f"/partners/{d['partner'].pk}/plans/" in page
    assert 'id="lifecycle"' not in page  # vendor staff read only
    manager_page = portal_client(tenant_a, d["manager"].user).get(f"/partners/{d['partner'].pk}/").content.decode()
    assert (
        'id="lifecycle"' in manager_page
        and "/status/suspend" in manager_page
        and "/status/activate" not in manager_page
    )


def test_portal_lifecycle_actions(tenant_a, d):
    client = portal_client(tenant_a, d["manager"].user)
    beta = d["beta"].pk
    client.post(f"/partners/{beta}/status/activate")
    missing_reason = client.post(f"/partners/{beta}/status/suspend", {"reason": " "}, follow=True)
    assert "Give a reason." in missing_reason.content.decode()
    client.post(f"/partners/{beta}/status/suspend", {"reason": "Unpaid invoices"})
    refused = client.post(f"/partners/{beta}/status/activate", follow=True)
    assert "not possible while the partner is suspended" in refused.content.decode()
    client.post(f"/partners/{beta}/status/reactivate")
    with tenant_context(tenant_a):
        changes = list(PartnerStatusChange.objects.filter(partner_id=beta).values_list("to_status", "reason"))
        assert Partner.objects.get(pk=beta).onboarded_at is not None
    assert changes == [("active", ""), ("suspended", "Unpaid invoices"), ("active", "")]
    assert portal_client(tenant_a, d["staff"].user).post(f"/partners/{beta}/status/suspend").status_code == 403
    assert client.post(f"/partners/{beta}/status/explode").status_code == 404


def test_api_lifecycle_actions_answer_409_with_the_current_state(tenant_a, d):
    client, auth = portal_client(tenant_a), bearer(d["manager"])
    base = f"/api/v1/partners/{d['gamma'].pk}"
    conflict = client.post(f"{base}/activate/", **auth)
    assert conflict.status_code == 409 and conflict.json()["error"]["current_state"] == "suspended"
    assert client.post(f"{base}/reactivate/", **auth).json()["status"] == "active"
    no_reason = client.post(f"{base}/offboard/", {}, **auth)
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    done = client.post(f"{base}/offboard/", {"reason": "Left the market"}, **auth)
    assert done.status_code == 200 and done.json()["status"] == "offboarded"
    final = client.post(f"{base}/suspend/", {"reason": "x"}, **auth)
    assert final.status_code == 409 and final.json()["error"]["current_state"] == "offboarded"
    for who in ("staff", "admin"):
        own = d["partner"].pk
        assert client.post(f"/api/v1/partners/{own}/suspend/", {"reason": "x"}, **bearer(d[who])).status_code == 403
    assert (
        client.post(f"/api/v1/partners/{d['other'].pk}/suspend/", {"reason": "x"}, **bearer(d["admin"])).status_code
        == 404
    )


def test_assign_channel_manager(tenant_a, d):
    client = portal_client(tenant_a, d["manager"].user)
    staff = d["staff"].user
    client.post(f"/partners/{d['beta'].pk}/manager", {"channel_manager": staff.pk})
    with tenant_context(tenant_a):
        assert Partner.objects.get(pk=d["beta"].pk).channel_manager == staff
    refused = client.post(f"/partners/{d['beta'].pk}/manager", {"channel_manager": d["admin"].user_id}, follow=True)
    assert "Choose an active member of the vendor" in refused.content.decode()
    inactive = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER, is_active=False)
    with tenant_context(tenant_a), pytest.raises(InvalidInput):
        partner_assign_manager(partner=d["beta"], actor=None, manager=d["rep"].user)
    with tenant_context(tenant_a), pytest.raises(InvalidInput):
        partner_assign_manager(partner=d["beta"], actor=None, manager=inactive.user)
    client.post(f"/partners/{d['beta'].pk}/manager", {"channel_manager": ""})
    with tenant_context(tenant_a):
        assert Partner.objects.get(pk=d["beta"].pk).channel_manager is None


def test_the_dashboard_shows_the_partner_pipeline_to_vendor_staff(tenant_a, d):
    from tests.factories import PartnerApplicationFactory

    PartnerApplicationFactory(program=d["apps"], duplicate_of_partner=d["alpha"])
    PartnerApplicationFactory(program=d["apps"], status="rejected")
    page = portal_client(tenant_a, d["staff"].user).get("/").content.decode()
    assert "1 application to review" in page and "1 possible duplicate" in page
    assert "0 promotions awaiting approval" in page
    assert '<dt>Suspended</dt><dd><a href="/partners/?status=suspended">1</a></dd>' in page
    partner_page = portal_client(tenant_a, d["admin"].user).get("/").content.decode()
    assert "applications to review" not in partner_page and "application to review" not in partner_page
