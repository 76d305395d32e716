"""Every announcement route across tenants and partners (the `# content: announcements` block of
tests/test_isolation_matrix.py): another tenant's announcements are 404 on every page and API route and change
nothing, its lists hold none of them, and its tokens are 401; within a tenant, an announcement meant for another
partner (another tier) is 404 to this partner's users, page and API alike, and is never marked read."""

import pytest

from content.models import Announcement, AnnouncementRead
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, issue_token, partner_member


def announcement_b_rows(tenant_b) -> dict:
    """Tenant B: a live announcement for everyone, read by one of its partner's users."""
    with tenant_context(tenant_b):
        partner = PartnerFactory(program=ProgramFactory(tenant=tenant_b))
        member = partner_member(partner)
        announcement = AnnouncementFactory(tenant=tenant_b, title="Globex secret roadmap")
        AnnouncementRead.objects.create(user=member.user, announcement=announcement)
    return {"content.announcement": announcement, "member": member}


@pytest.fixture
def world(tenant_a, tenant_b):
    b = announcement_b_rows(tenant_b)
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        gold, silver = TierFactory(program=program), TierFactory(program=program)
        ours = PartnerFactory(program=program, tier=gold)
        theirs = PartnerFactory(program=program, tier=silver)
        rep = partner_member(ours, role=Role.PARTNER_REP)
        rival = partner_member(theirs)
        manager = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
        silver_news = AnnouncementFactory(tenant=tenant_a, title="Silver only", visible_tier_ids=[silver.pk])
    return {
        "b": b["content.announcement"],
        "b_member": b["member"],
        "rep": rep,
        "rival": rival,
        "manager": manager,
        "silver_news": silver_news,
    }


def _page_routes(pk):
    """The manager's routes (marking read is a partner user's, checked with the rep)."""
    return [
        ("get", f"/announcements/{pk}/"),
        ("get", f"/announcements/{pk}/edit"),
        ("post", f"/announcements/{pk}/edit"),
        ("post", f"/announcements/{pk}/publish"),
        ("post", f"/announcements/{pk}/unpublish"),
        ("post", f"/announcements/{pk}/pin"),
        ("post", f"/announcements/{pk}/unpin"),
    ]


def _api_routes(pk, who):
    """Every object route for the manager; the reader's ones for the rep (writing is a 403 before any lookup)."""
    reader = [("get", f"/api/v1/announcements/{pk}/"), ("post", f"/api/v1/announcements/{pk}/read")]
    if who == "rep":
        return reader
    return reader + [
        ("patch", f"/api/v1/announcements/{pk}/"),
        ("post", f"/api/v1/announcements/{pk}/publish"),
        ("post", f"/api/v1/announcements/{pk}/unpublish"),
    ]


def _unchanged(tenant, announcement, reads):
    with tenant_context(tenant):
        fresh = Announcement.objects.get(pk=announcement.pk)
        assert (fresh.title, fresh.publish_at, fresh.is_pinned) == (
            announcement.title,
            announcement.publish_at,
            announcement.is_pinned,
        )
        assert AnnouncementRead.objects.filter(announcement=announcement).count() == reads


def test_pages_answer_404_for_another_tenants_announcement(world, tenant_a, tenant_b):
    pk = world["b"].pk
    for who, routes in (("manager", _page_routes(pk)), ("rep", [("get", f"/announcements/{pk}/")])):
        client = portal_client(tenant_a, world[who].user)
        for method, path in routes + ([("post", f"/announcements/{pk}/read")] if who == "rep" else []):
            assert getattr(client, method)(path, {"title": "x", "body": "x"}).status_code == 404, (who, path)
    for who in ("manager", "rep"):
        page = portal_client(tenant_a, world[who].user).get("/announcements/").content.decode()
        assert "Globex secret roadmap" not in page
        assert "Globex secret roadmap" not in portal_client(tenant_a, world[who].user).get("/").content.decode()
    portal_client(tenant_a, world["rep"].user).post("/announcements/read-all")
    _unchanged(tenant_b, world["b"], reads=1)


def test_api_answers_404_for_another_tenants_announcement_and_refuses_its_token(world, tenant_a, tenant_b):
    pk = world["b"].pk
    for who in ("manager", "rep"):
        api = Api(tenant_a, world[who])
        for method, path in _api_routes(pk, who):
            call = getattr(api.client, method)
            assert call(path, {}, content_type="application/json", **api.auth).status_code == 404, (who, path)
        assert api.get("/api/v1/announcements/").json()["count"] == (1 if who == "manager" else 0)
        # their own tenant's news only (the manager sees the silver one; the rep's company is gold)
        assert api.post("/api/v1/announcements/read-all").json() == {"marked": 1 if who == "manager" else 0}
    b_token = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['b_member'])}"}
    for path in ("/api/v1/announcements/", f"/api/v1/announcements/{pk}/"):
        assert portal_client(tenant_a).get(path, **b_token).status_code == 401
    assert portal_client(tenant_a).post("/api/v1/announcements/read-all", **b_token).status_code == 401
    _unchanged(tenant_b, world["b"], reads=1)


def test_another_partners_announcement_is_404_to_this_partner(world, tenant_a):
    news = world["silver_news"]
    client = portal_client(tenant_a, world["rep"].user)
    assert client.get(f"/announcements/{news.pk}/").status_code == 404
    assert client.post(f"/announcements/{news.pk}/read").status_code == 404
    assert "Silver only" not in client.get("/announcements/").content.decode()
    api = Api(tenant_a, world["rep"])
    assert api.get(f"/api/v1/announcements/{news.pk}/").status_code == 404
    assert api.post(f"/api/v1/announcements/{news.pk}/read").status_code == 404
    assert api.get("/api/v1/announcements/").json()["count"] == 0
    _unchanged(tenant_a, news, reads=0)
    # the partner it is meant for sees it
    assert portal_client(tenant_a, world["rival"].user).get(f"/announcements/{news.pk}/").status_code == 200
    assert Api(tenant_a, world["rival"]).get(f"/api/v1/announcements/{news.pk}/").status_code == 200


def test_the_admin_never_shows_another_tenants_announcement(world, tenant_a):
    client = portal_client(tenant_a, world["manager"].user)
    assert "Globex secret roadmap" not in client.get("/admin/content/announcement/").content.decode()
    assert client.get(f"/admin/content/announcement/{world['b'].pk}/change/").status_code in (302, 404)
