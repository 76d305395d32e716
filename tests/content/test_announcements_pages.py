"""Announcement pages: a partner's users read the feed (pinned first, unread marked, paged), the news panel on
their home page, open an announcement (it is marked read), mark one read with HTMX, or all; vendor staff list every
announcement with its state and read count, managers write, publish, schedule and pin. Query counts are pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Announcement, AnnouncementRead
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        gold, silver = TierFactory(program=program), TierFactory(program=program)
        partner = PartnerFactory(program=program, tier=gold)
        rep = partner_member(partner, role=Role.PARTNER_REP)
        staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
        manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
        pinned = AnnouncementFactory(tenant=tenant_a, title="Pinned: partner summit", is_pinned=True)
        gold_news = AnnouncementFactory(tenant=tenant_a, title="Gold news", visible_tier_ids=[gold.pk])
        silver_news = AnnouncementFactory(tenant=tenant_a, title="Silver news", visible_tier_ids=[silver.pk])
        draft = AnnouncementFactory(tenant=tenant_a, title="Draft plans", publish_at=None)
    return {
        "tenant": tenant_a,
        "program": program,
        "gold": gold,
        "rep": rep,
        "staff": staff,
        "manager": manager,
        "pinned": pinned,
        "gold_news": gold_news,
        "silver_news": silver_news,
        "draft": draft,
    }


def _client(world, who):
    return portal_client(world["tenant"], world[who].user)


def test_the_partner_feed_shows_its_news_pinned_first_with_unread_markers(world):
    page = _client(world, "rep").get("/announcements/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Pinned: partner summit") < html.index("Gold news")
    assert "Silver news" not in html and "Draft plans" not in html
    assert html.count("unread-marker") == 2
    assert "2 unread announcements" in html


def test_the_feed_shows_the_start_of_each_text_without_its_markup(world):
    with tenant_context(world["tenant"]):
        Announcement.objects.filter(pk=world["pinned"].pk).update(
            body="<p>Join us in <strong>Lisbon</strong> on 3 March &amp; meet the team.</p>" + "<p>word</p>" * 40
        )
    html = _client(world, "rep").get("/announcements/").content.decode()
    assert "Join us in Lisbon on 3 March &amp; meet the team." in html
    assert "<strong>Lisbon" not in html and html.count("word") < 30


def test_opening_an_announcement_marks_it_read(world):
    client = _client(world, "rep")
    page = client.get(f"/announcements/{world['gold_news'].pk}/")
    assert page.status_code == 200 and "<p>News.</p>" in page.content.decode()
    with tenant_context(world["tenant"]):
        assert AnnouncementRead.objects.filter(user=world["rep"].user, announcement=world["gold_news"]).exists()
    assert "1 unread announcement" in client.get("/announcements/").content.decode()


def test_mark_one_read_with_htmx_and_all_read(world):
    client = _client(world, "rep")
    response = client.post(f"/announcements/{world['pinned'].pk}/read", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "unread-marker" not in response.content.decode()
    assert client.post("/announcements/read-all").status_code == 302
    with tenant_context(world["tenant"]):
        assert AnnouncementRead.objects.filter(user=world["rep"].user).count() == 2  # not the silver news
    assert "0 unread announcements" in client.get("/announcements/").content.decode()


def test_other_tiers_news_and_drafts_are_404_for_a_partner(world):
    client = _client(world, "rep")
    for row in ("silver_news", "draft"):
        assert client.get(f"/announcements/{world[row].pk}/").status_code == 404
        assert client.post(f"/announcements/{world[row].pk}/read").status_code == 404


def test_the_news_panel_is_on_the_partner_home_page(world):
    html = _client(world, "rep").get("/").content.decode()
    assert 'id="panel-news"' in html
    assert "Pinned: partner summit" in html and "Silver news" not in html
    assert 'id="news-unread">2<' in html


def test_vendor_staff_list_every_announcement_with_state_and_read_count(world):
    with tenant_context(world["tenant"]):
        AnnouncementRead.objects.create(user=world["rep"].user, announcement=world["gold_news"])
    html = _client(world, "staff").get("/announcements/").content.decode()
    for title in ("Pinned: partner summit", "Gold news", "Silver news", "Draft plans"):
        assert title in html
    assert "Draft" in html and "Live" in html
    assert f'id="announcement-{world["gold_news"].pk}"' in html
    row = html[html.index(f'id="announcement-{world["gold_news"].pk}"') :]
    assert '<td class="read-count">1</td>' in row[: row.index("</tr>")]
    assert "New announcement" not in html  # staff read, managers write
    assert _client(world, "staff").get("/announcements/new").status_code == 403


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# session, user, membership, tenant settings, partner, nav and page: fixed whatever the number of rows
FEED_QUERIES, LIST_QUERIES = 10, 8


def test_list_pages_have_a_fixed_query_count(world, django_assert_num_queries):
    rep, staff = _client(world, "rep"), _client(world, "staff")
    rep.get("/announcements/"), staff.get("/announcements/")  # the session's first page reads more
    before = (_queries(rep, "/announcements/"), _queries(staff, "/announcements/"))
    with tenant_context(world["tenant"]):
        for number in range(25):
            news = AnnouncementFactory(tenant=world["tenant"], title=f"More news {number}", is_pinned=number % 2)
            if number % 3:
                AnnouncementRead.objects.create(user=world["rep"].user, announcement=news)
    after = (_queries(rep, "/announcements/"), _queries(staff, "/announcements/"))
    assert after == before == (FEED_QUERIES, LIST_QUERIES)
    assert "Page 1 of 2" in rep.get("/announcements/").content.decode()
    with django_assert_num_queries(LIST_QUERIES):
        staff.get("/announcements/?page=2")


def test_manager_writes_publishes_schedules_and_pins(world):
    client = _client(world, "manager")
    assert "New announcement" in client.get("/announcements/").content.decode()
    form = {"title": "Holiday hours", "body": "<p>Closed<script>x()</script> on Friday</p>"}
    form |= {"visible_tier_ids": [world["gold"].pk], "visible_regions": ["europe"]}
    response = client.post("/announcements/new", form)
    assert response.status_code == 302
    with tenant_context(world["tenant"]):
        created = Announcement.objects.get(title="Holiday hours")
    assert created.body == "<p>Closed on Friday</p>" and created.publish_at is None
    assert created.visible_tier_ids == [world["gold"].pk] and created.visible_regions == ["europe"]
    assert client.post(f"/announcements/{created.pk}/publish", {"at": "2099-01-01T09:00"}).status_code == 302
    with tenant_context(world["tenant"]):
        created.refresh_from_db()
    assert created.publish_at.year == 2099
    page = client.get(f"/announcements/{created.pk}/").content.decode()
    assert "Scheduled" in page
    client.post(f"/announcements/{created.pk}/publish")
    client.post(f"/announcements/{created.pk}/pin")
    with tenant_context(world["tenant"]):
        created.refresh_from_db()
    assert created.publish_at <= timezone.now() and created.is_pinned
    response = client.post(f"/announcements/{created.pk}/publish", follow=True)
    assert "live already" in response.content.decode()
    edit = client.post(f"/announcements/{created.pk}/edit", {"title": "x", "body": "<script>x()</script>"})
    assert edit.status_code == 400 and "Write the announcement." in edit.content.decode()
    edit = client.post(
        f"/announcements/{created.pk}/edit",
        {
            "title": "Holiday hours",
            "body": "<p>x</p>",
            "publish_at": "2026-01-02T00:00",
            "expire_at": "2026-01-01T00:00",
        },
    )
    assert edit.status_code == 400 and "The expiry must come after the publication." in edit.content.decode()
    assert client.post(f"/announcements/{created.pk}/unpublish").status_code == 302
    assert client.post(f"/announcements/{created.pk}/explode").status_code == 404


def test_partners_cannot_write(world):
    client = _client(world, "rep")
    assert client.get("/announcements/new").status_code == 403
    assert client.post(f"/announcements/{world['gold_news'].pk}/pin").status_code == 403
    assert client.get(f"/announcements/{world['gold_news'].pk}/edit").status_code == 403
