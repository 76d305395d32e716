"""API shape of /partners/, the partner on /me (through prm.api's extension hook), and the admin."""

import re

import pytest
from rest_framework import serializers

from partners.models import Partner, PartnerStatusChange
from prm.api.me import MeExtension, register_me_extension
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import PartnerFactory, ProgramFactory

from .company_setup import bearer, company_world


@pytest.fixture
def w(tenant_a):
    return company_world(tenant_a)


def test_partner_fields(tenant_a, w):
    with tenant_context(tenant_a):
        Partner.objects.filter(pk=w["partner"].pk).update(channel_manager=w["manager"].user, city="Utrecht")
    body = portal_client(tenant_a).get(f"/api/v1/partners/{w['partner'].pk}/", **bearer(w["admin"])).json()
    assert {
        "id",
        "name",
        "website",
        "domain",
        "country",
        "city",
        "regions",
        "types",
        "verticals",
        "capabilities",
        "company_size",
        "status",
        "program",
        "tier",
        "channel_manager",
        "joined_at",
        "onboarded_at",
        "onboarding_progress",
        "logo_url",
    } <= set(body)
    assert body["program"] == {"id": w["program"].pk, "name": "Resell", "slug": "resell"}
    assert body["tier"] == {"id": w["tier"].pk, "name": "Registered", "rank": 0}
    assert body["channel_manager"]["email"] == w["manager"].user.email
    assert (body["country"], body["city"], body["types"], body["onboarding_progress"]) == (
        "NL",
        "Utrecht",
        ["reseller"],
        100,
    )
    assert body["logo_url"] is None
    assert re.match(r"\d{4}-\d\d-\d\dT.*[+-]\d\d:\d\d$|.*Z$", body["joined_at"])


def test_partner_users_see_only_their_own_company(tenant_a, w):
    client = portal_client(tenant_a)
    for who in ("admin", "rep"):
        assert client.get(f"/api/v1/partners/{w['other'].pk}/", **bearer(w[who])).status_code == 404
        assert client.get(f"/api/v1/partners/{w['partner'].pk}/", **bearer(w[who])).status_code == 200
    listing = client.get("/api/v1/partners/", **bearer(w["other_admin"])).json()
    assert [row["id"] for row in listing["results"]] == [w["other"].pk]


def test_ordering(tenant_a, w):
    PartnerFactory(program=ProgramFactory(tenant=tenant_a), name="Aardvark")
    client = portal_client(tenant_a)
    names = [r["name"] for r in client.get("/api/v1/partners/?ordering=-name", **bearer(w["staff"])).json()["results"]]
    assert names == ["Other Co", "Nimbus IT", "Aardvark"]


def test_me_shows_the_partner_of_partner_users_and_null_for_vendor_staff(tenant_a, w):
    client = portal_client(tenant_a)
    me = client.get("/api/v1/me", **bearer(w["rep"])).json()
    assert me["partner"] == {
        "id": w["partner"].pk,
        "name": "Nimbus IT",
        "status": "active",
        "program": {"id": w["program"].pk, "name": "Resell", "slug": "resell"},
        "tier": {"id": w["tier"].pk, "name": "Registered", "rank": 0},
    }
    assert client.get("/api/v1/me", **bearer(w["staff"])).json()["partner"] is None


def test_me_extensions_cannot_replace_core_keys_or_each_other():
    with pytest.raises(ValueError):
        register_me_extension(MeExtension("roles", lambda request: [], serializers.ListField()))
    with pytest.raises(ValueError):
        register_me_extension(MeExtension("partner", lambda request: None, serializers.CharField()))


def test_me_extension_is_in_the_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    me = schema["components"]["schemas"]["Me"]
    assert "partner" in me["properties"]


# --- admin -----------------------------------------------------------------------------------
def test_admin_lists_and_searches_the_tenants_partners(tenant_a, tenant_b, w):
    b = company_world(tenant_b)
    client = portal_client(tenant_a, w["staff"].user)
    page = client.get("/admin/partners/partner/?q=nimbus").content.decode()
    assert "Nimbus IT" in page and "Other Co" not in page
    assert str(b["partner"].pk) not in re.findall(r'name="_selected_action" value="(\d+)"', page)
    assert client.get(f"/admin/partners/partner/{w['partner'].pk}/change/").status_code == 200


def test_admin_edits_profile_through_the_service_and_keeps_lifecycle_read_only(tenant_a, w):
    client = portal_client(tenant_a, w["manager"].user)
    form = {
        "name": "Nimbus Renamed",
        "website": "https://nimbus.example",
        "channel_manager": w["staff"].user_id,
        "country": "DE",
        "regions": ["europe"],
        "types": ["reseller"],
        "status": "offboarded",  # read-only: ignored
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/partners/partner/{w['partner'].pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        partner = Partner.objects.get(pk=w["partner"].pk)
    assert (partner.name, partner.country, partner.status, partner.channel_manager) == (
        "Nimbus Renamed",
        "DE",
        "active",
        w["staff"].user,
    )
    refused = client.post(
        f"/admin/partners/partner/{w['partner'].pk}/change/", {**form, "website": w["other"].website}, follow=True
    )
    assert "already uses the domain" in refused.content.decode()


def test_admin_adds_a_partner_through_partner_create(tenant_a, w):
    client = portal_client(tenant_a, w["manager"].user)
    response = client.post(
        "/admin/partners/partner/add/",
        {"name": "Fresh Partner", "website": "https://fresh.example", "program": w["program"].pk, "country": "FR"},
    )
    assert response.status_code == 302
    with tenant_context(tenant_a):
        partner = Partner.objects.get(name="Fresh Partner")
        assert (partner.status, partner.tier, partner.domain) == ("onboarding", w["tier"], "fresh.example")
        assert PartnerStatusChange.objects.filter(partner=partner).count() == 1


def test_admin_lifecycle_actions_ask_for_a_reason(tenant_a, w):
    client = portal_client(tenant_a, w["manager"].user)
    ids = [w["partner"].pk, w["other"].pk]
    base = {"_selected_action": ids, "action": "suspend"}
    ask = client.post("/admin/partners/partner/", base)
    assert ask.status_code == 200 and 'name="reason"' in ask.content.decode()
    still = client.post("/admin/partners/partner/", {**base, "apply": "1", "reason": ""})
    assert 'name="reason"' in still.content.decode()
    done = client.post("/admin/partners/partner/", {**base, "apply": "1", "reason": "Audit"}, follow=True)
    assert "2 partners updated." in done.content.decode()
    conflict = client.post("/admin/partners/partner/", {"_selected_action": ids, "action": "activate"}, follow=True)
    assert "not possible while the partner is suspended" in conflict.content.decode()
    client.post("/admin/partners/partner/", {"_selected_action": ids, "action": "reactivate"})
    with tenant_context(tenant_a):
        assert set(Partner.objects.values_list("status", flat=True)) == {"active"}
        assert PartnerStatusChange.objects.filter(reason="Audit").count() == 2
    staff = portal_client(tenant_a, w["staff"].user)
    assert staff.post("/admin/partners/partner/", {**base, "apply": "1", "reason": "x"}).status_code in (200, 403)
    with tenant_context(tenant_a):
        assert not PartnerStatusChange.objects.filter(reason="x").exists()


def test_admin_business_plan_with_goals_and_qbr_notes(tenant_a, w):
    from partners.metrics import register_metric
    from partners.models import BusinessPlan

    from .test_company_plans import TEST_METRIC

    register_metric(TEST_METRIC)
    client = portal_client(tenant_a, w["manager"].user)
    inline = {
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-0-metric": "test_active_people",
        "goals-0-target": "3",
        "goals-0-note": "",
        "qbr_notes-TOTAL_FORMS": "1",
        "qbr_notes-INITIAL_FORMS": "0",
        "qbr_notes-0-held_on": "2025-04-01",
        "qbr_notes-0-notes": "First review",
    }
    plan = {"partner": w["partner"].pk, "title": "Admin plan", "period_start": "2025-01-01", "period_end": "2025-12-31"}
    response = client.post("/admin/partners/businessplan/add/", {**plan, **inline})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        created = BusinessPlan.objects.get(title="Admin plan")
        assert created.created_by == w["manager"].user
        assert list(created.goals.values_list("metric", "target")) == [("test_active_people", 3)]
        assert list(created.qbr_notes.values_list("notes", "author")) == [("First review", w["manager"].user_id)]
    overlap = client.post("/admin/partners/businessplan/add/", {**plan, "title": "Overlap", **inline}, follow=True)
    assert "already covers" in overlap.content.decode()
    with tenant_context(tenant_a):
        assert not BusinessPlan.objects.filter(title="Overlap").exists()


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("admin", ["Company", "People", "Business plan"], ["Partners", "Coverage"]),
        ("rep", ["Company"], ["People", "Business plan", "Partners"]),
        ("staff", ["Partners", "Coverage"], ["Company", "People", "Business plan"]),
    ],
)
def test_navigation_per_side(tenant_a, w, who, shown, hidden):
    page = portal_client(tenant_a, w[who].user).get("/").content.decode()
    nav = page.split('class="mainnav"')[1].split("</nav>")[0]
    labels = re.findall(r">([^<]+)</a>", nav)
    assert all(label in labels for label in shown) and not any(label in labels for label in hidden)
