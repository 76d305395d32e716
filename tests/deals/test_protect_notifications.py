"""The in-portal notifications inbox: page, nav badge, mark read, API, isolation between users."""

import re

import pytest
from django.core import mail

from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.notifications.services import notify
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, issue_token


@pytest.fixture
def people(tenant_a):
    return {
        "me": MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER, user__email="me@acme.example"),
        "colleague": MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF),
    }


def send(tenant, membership, *titles, url=""):
    with tenant_context(tenant):
        return [notify(users=[membership.user], title=title, url=url)[0] for title in titles]


def badge(html: str) -> str | None:
    match = re.search(r'id="nav-badge-notifications">.*?</span>(\d+)</span>', html)
    return match.group(1) if match else None


def test_the_inbox_lists_unread_first_then_newest(tenant_a, people):
    old_read, unread_old, unread_new = send(tenant_a, people["me"], "Old and read", "Unread older", "Unread newest")
    send(tenant_a, people["colleague"], "Not mine")
    with tenant_context(tenant_a):
        Notification.objects.filter(pk=old_read.pk).update(read_at="2026-01-01T00:00:00Z")
    send(tenant_a, people["me"], "Newest but read")
    with tenant_context(tenant_a):
        Notification.objects.filter(title="Newest but read").update(read_at="2026-01-02T00:00:00Z")

    page = portal_client(tenant_a, people["me"].user).get("/notifications/").content.decode()

    titles = re.findall(r"<strong>(.*?)</strong>", page)
    assert titles == ["Unread newest", "Unread older", "Newest but read", "Old and read"]
    assert "2 unread notifications" in page and "Not mine" not in page


def test_the_nav_badge_counts_unread_and_follows_reads(tenant_a, people):
    client = portal_client(tenant_a, people["me"].user)
    assert badge(client.get("/").content.decode()) is None
    first, _second = send(tenant_a, people["me"], "One", "Two")
    assert badge(client.get("/").content.decode()) == "2"

    client.post(f"/notifications/{first.pk}/read")
    assert badge(client.get("/").content.decode()) == "1"
    client.post("/notifications/read-all")
    assert badge(client.get("/").content.decode()) is None


def test_a_warm_badge_costs_no_query(tenant_a, people, django_assert_num_queries):
    send(tenant_a, people["me"], "One")
    client = portal_client(tenant_a, people["me"].user)
    client.get("/settings/tokens/")  # warms the cached count
    # tenant, enter context, session, user, membership, tokens, leave: the badge comes from Redis
    with django_assert_num_queries(7):
        html = client.get("/settings/tokens/").content.decode()
    assert badge(html) == "1"


def test_mark_one_read_with_htmx_and_open_its_link(tenant_a, people):
    note, linked = send(tenant_a, people["me"], "Plain", "Linked")
    with tenant_context(tenant_a):
        Notification.objects.filter(pk=linked.pk).update(url="/tier/")
    client = portal_client(tenant_a, people["me"].user)

    row = client.post(f"/notifications/{note.pk}/read", HTTP_HX_REQUEST="true").content.decode()
    assert f'id="notification-{note.pk}" class="read"' in row

    opened = client.post(f"/notifications/{linked.pk}/read", {"open": "1"})
    assert (opened.status_code, opened.url) == (302, "/tier/")
    with tenant_context(tenant_a):
        assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_members_notification_is_404_and_stays_unread(tenant_a, people):
    (theirs,) = send(tenant_a, people["colleague"], "Theirs")
    client = portal_client(tenant_a, people["me"].user)
    assert client.post(f"/notifications/{theirs.pk}/read").status_code == 404
    client.post("/notifications/read-all")
    with tenant_context(tenant_a):
        assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_notify_with_email_sends_after_commit(tenant_a, people, celery_eager, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        notify(users=[people["me"].user, None, people["me"].user], title="Heads up", body="Details", email=True)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["me@acme.example"], "Heads up")]
    assert "Details" in mail.outbox[0].body and "/notifications/" in mail.outbox[0].body


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_own_unread_first_and_filters(tenant_a, people):
    read, unread = send(tenant_a, people["me"], "Read one", "Unread one")
    send(tenant_a, people["colleague"], "Theirs")
    with tenant_context(tenant_a):
        Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00:00Z")
    client, auth = portal_client(tenant_a), {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people['me'])}"}

    listed = client.get("/api/v1/notifications/", **auth).json()
    assert [(row["title"], row["is_read"]) for row in listed["results"]] == [("Unread one", False), ("Read one", True)]
    only_unread = client.get("/api/v1/notifications/?unread=true", **auth).json()
    assert [row["id"] for row in only_unread["results"]] == [unread.pk]
    assert client.get("/api/v1/notifications/?unread=maybe", **auth).status_code == 400


def test_api_read_one_and_all(tenant_a, people):
    first, _second = send(tenant_a, people["me"], "One", "Two")
    (theirs,) = send(tenant_a, people["colleague"], "Theirs")
    client, auth = portal_client(tenant_a), {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people['me'])}"}

    response = client.post(f"/api/v1/notifications/{first.pk}/read", **auth)
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/", **auth).status_code == 404
    assert client.get(f"/api/v1/notifications/{theirs.pk}/", **auth).status_code == 404
    assert client.post("/api/v1/notifications/read-all", **auth).json() == {"marked": 1}
    assert client.post("/api/v1/notifications/read-all/", **auth).json() == {"marked": 0}
    with tenant_context(tenant_a):
        assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_api_list_query_count_is_fixed(tenant_a, people, django_assert_num_queries):
    send(tenant_a, people["me"], "One")
    client, auth = portal_client(tenant_a), {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people['me'])}"}
    client.get("/api/v1/notifications/", **auth)
    with django_assert_num_queries(7):
        client.get("/api/v1/notifications/", **auth)
    send(tenant_a, people["me"], *[f"More {n}" for n in range(10)])
    with django_assert_num_queries(7):
        assert client.get("/api/v1/notifications/", **auth).json()["count"] == 11


def test_the_inbox_page_query_count_is_fixed(tenant_a, people, django_assert_num_queries):
    send(tenant_a, people["me"], "One")
    client = portal_client(tenant_a, people["me"].user)
    client.get("/notifications/")
    with django_assert_num_queries(8):
        client.get("/notifications/")
    send(tenant_a, people["me"], *[f"More {n}" for n in range(10)])
    client.get("/notifications/")  # the unread count is cached again after the new ones
    with django_assert_num_queries(8):
        client.get("/notifications/")
