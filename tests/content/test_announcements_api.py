"""/api/v1/announcements/: a partner user's list (targeted, `is_unread`, filters `unread` and `pinned`, no
audience fields), read and read-all; vendor staff see all with state and read counts; managers create, change,
publish (now or at a time; 409 when live) and unpublish; partners cannot write. The schema builds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import Announcement, AnnouncementRead
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        gold, silver = TierFactory(program=program), TierFactory(program=program)
        partner = PartnerFactory(program=program, tier=gold, types=["msp"])
        rep = partner_member(partner, role=Role.PARTNER_REP)
        staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
        manager = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
        pinned = AnnouncementFactory(tenant=tenant_a, title="Pinned", is_pinned=True)
        msp = AnnouncementFactory(tenant=tenant_a, title="For MSPs", visible_types=["msp"])
        silver_only = AnnouncementFactory(tenant=tenant_a, title="Silver", visible_tier_ids=[silver.pk])
        draft = AnnouncementFactory(tenant=tenant_a, title="Draft", publish_at=None)
    return {
        "tenant": tenant_a,
        "gold": gold,
        "rep": Api(tenant_a, rep),
        "staff": Api(tenant_a, staff),
        "manager": Api(tenant_a, manager),
        "rep_user": rep.user,
        "pinned": pinned,
        "msp": msp,
        "silver": silver_only,
        "draft": draft,
    }


LIST_QUERIES = 8  # fixed, whatever the number of rows (read counts and unread markers are subqueries)


def test_a_partner_lists_its_news_with_unread_markers_and_no_audience(world, django_assert_num_queries):
    api = world["rep"]
    api.get("/api/v1/announcements/")
    with django_assert_num_queries(LIST_QUERIES):
        body = api.get("/api/v1/announcements/").json()
    assert [row["title"] for row in body["results"]] == ["Pinned", "For MSPs"]
    assert all(row["is_unread"] for row in body["results"])
    assert set(body["results"][0]) == {"id", "title", "body", "is_pinned", "publish_at", "expire_at", "is_unread"}
    assert api.get(f"/api/v1/announcements/{world['silver'].pk}/").status_code == 404
    assert api.get(f"/api/v1/announcements/{world['draft'].pk}/").status_code == 404
    with tenant_context(world["tenant"]):
        for number in range(30):
            AnnouncementFactory(tenant=world["tenant"], title=f"More {number}", is_pinned=number % 2)
    with django_assert_num_queries(LIST_QUERIES):
        assert api.get("/api/v1/announcements/").json()["count"] == 32
    with django_assert_num_queries(LIST_QUERIES):
        world["staff"].get("/api/v1/announcements/", page=2)


def test_read_one_then_filters_then_read_all(world):
    api = world["rep"]
    assert api.post(f"/api/v1/announcements/{world['msp'].pk}/read").status_code == 204
    assert api.post(f"/api/v1/announcements/{world['msp'].pk}/read").status_code == 204
    assert [row["title"] for row in api.get("/api/v1/announcements/", unread="true").json()["results"]] == ["Pinned"]
    assert [row["title"] for row in api.get("/api/v1/announcements/", unread="false").json()["results"]] == ["For MSPs"]
    assert [row["title"] for row in api.get("/api/v1/announcements/", pinned="true").json()["results"]] == ["Pinned"]
    assert api.post("/api/v1/announcements/read-all").json() == {"marked": 1}
    assert api.post("/api/v1/announcements/read-all").json() == {"marked": 0}
    with tenant_context(world["tenant"]):
        assert AnnouncementRead.objects.filter(user=world["rep_user"]).count() == 2
    assert api.post(f"/api/v1/announcements/{world['silver'].pk}/read").status_code == 404


def test_vendor_staff_see_every_one_with_state_and_read_counts(world):
    with tenant_context(world["tenant"]):
        AnnouncementRead.objects.create(user=world["rep_user"], announcement=world["msp"])
    rows = {row["title"]: row for row in world["staff"].get("/api/v1/announcements/").json()["results"]}
    assert set(rows) == {"Pinned", "For MSPs", "Silver", "Draft"}
    assert rows["Draft"]["state"] == "draft" and rows["Pinned"]["state"] == "live"
    assert rows["For MSPs"]["read_count"] == 1 and rows["For MSPs"]["visible_types"] == ["msp"]
    assert rows["Silver"]["visible_tier_ids"] == world["silver"].visible_tier_ids != []
    assert world["staff"].post("/api/v1/announcements/", {"title": "x", "body": "x"}).status_code == 403


def test_managers_create_change_publish_and_unpublish(world):
    api = world["manager"]
    created = api.post(
        "/api/v1/announcements/",
        {"title": "Webinar", "body": "<p>Join<script>x()</script></p>", "visible_regions": ["europe"]},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["body"] == "<p>Join</p>" and body["state"] == "draft" and body["visible_regions"] == ["europe"]
    pk = body["id"]
    assert api.patch(f"/api/v1/announcements/{pk}/", {"is_pinned": True}).json()["is_pinned"] is True
    later = (timezone.now() + timedelta(days=1)).isoformat()
    assert api.post(f"/api/v1/announcements/{pk}/publish", {"at": later}).json()["state"] == "scheduled"
    assert api.post(f"/api/v1/announcements/{pk}/publish", {}).json()["state"] == "live"
    conflict = api.post(f"/api/v1/announcements/{pk}/publish", {})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "state_conflict"
    assert api.post(f"/api/v1/announcements/{pk}/unpublish").json()["state"] == "draft"
    assert api.post(f"/api/v1/announcements/{pk}/unpublish").status_code == 409


def test_bad_input_gets_field_errors_and_changes_nothing(world, tenant_b):
    foreign = ProgramFactory(tenant=tenant_b)
    api = world["manager"]
    response = api.post(
        "/api/v1/announcements/",
        {"title": "x", "body": "<p>x</p>", "visible_program_ids": [foreign.pk], "visible_types": ["pirate"]},
    )
    assert response.status_code == 400
    assert "visible_types.0" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/announcements/", {"title": "x", "body": "<p>x</p>", "visible_program_ids": [foreign.pk]}
    )
    assert response.status_code == 400 and "visible_program_ids" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/announcements/",
        {"title": "x", "body": "<p>x</p>", "expire_at": timezone.now().isoformat()},
    )
    assert response.status_code == 400 and "expire_at" in response.json()["error"]["fields"]
    with tenant_context(world["tenant"]):
        assert Announcement.objects.count() == 4


def test_partners_cannot_write(world):
    api = world["rep"]
    assert api.post("/api/v1/announcements/", {"title": "x", "body": "x"}).status_code == 403
    assert api.patch(f"/api/v1/announcements/{world['msp'].pk}/", {"title": "y"}).status_code == 403
    assert api.post(f"/api/v1/announcements/{world['msp'].pk}/unpublish").status_code == 403


def test_the_schema_documents_the_announcement_operations(openapi_paths):
    paths = openapi_paths
    assert {"get", "post"} <= set(paths["/api/v1/announcements/"])
    assert {"get", "patch"} <= set(paths["/api/v1/announcements/{id}/"])
    for action in ("publish", "unpublish"):
        assert "409" in paths[f"/api/v1/announcements/{{id}}/{action}/"]["post"]["responses"]
    assert "post" in paths["/api/v1/announcements/{id}/read/"]
    assert "post" in paths["/api/v1/announcements/read-all/"]
