"""Announcements in the tenant admin: written through the services (text sanitised, audience and window checked,
refusals on the form), filtered by state, published, unpublished, pinned and unpinned in bulk, read counts shown;
staff read only; the changelist's query count does not grow with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Announcement, AnnouncementRead
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import MembershipFactory, ProgramFactory

URL = "/admin/content/announcement/"


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
        staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
        program = ProgramFactory(tenant=tenant_a)
        live = AnnouncementFactory(tenant=tenant_a, title="Live news")
        draft = AnnouncementFactory(tenant=tenant_a, title="Draft news", publish_at=None)
        scheduled = AnnouncementFactory(tenant=tenant_a, title="Later news", publish_at=timezone.now() + timedelta(1))
        AnnouncementRead.objects.create(user=staff.user, announcement=live)
    return {
        "tenant": tenant_a,
        "manager": portal_client(tenant_a, manager.user),
        "staff": portal_client(tenant_a, staff.user),
        "program": program,
        "live": live,
        "draft": draft,
        "scheduled": scheduled,
    }


def _form(**values):
    return {"title": "Partner summit", "body": "<p>Come<script>x()</script></p>", **values}


def test_add_goes_through_the_service(world):
    response = world["manager"].post(f"{URL}add/", _form(visible_program_ids=[world["program"].pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(world["tenant"]):
        created = Announcement.objects.get(title="Partner summit")
        assert created.body == "<p>Come</p>" and created.visible_program_ids == [world["program"].pk]
        assert AuditEvent.objects.filter(action="content.announcement_create").count() == 1


def test_refusals_show_on_the_form(world):
    response = world["manager"].post(
        f"{URL}add/",
        _form(publish_at_0="2026-01-02", publish_at_1="10:00", expire_at_0="2026-01-01", expire_at_1="10:00"),
    )
    assert response.status_code == 200
    assert "The expiry must come after the publication." in response.content.decode()
    response = world["manager"].post(f"{URL}{world['draft'].pk}/change/", _form(body="<script>x</script>"))
    assert "Write the announcement." in response.content.decode()


def test_state_filter_and_read_counts(world):
    page = world["staff"].get(URL, {"state": "draft"}).content.decode()
    assert "Draft news" in page and "Live news" not in page
    page = world["staff"].get(URL, {"state": "live"}).content.decode()
    assert "Live news" in page and "Later news" not in page
    page = world["staff"].get(URL, {"state": "scheduled"}).content.decode()
    assert "Later news" in page and "Draft news" not in page
    assert '<td class="field-read_count">1</td>' in world["staff"].get(URL, {"state": "live"}).content.decode()


def test_bulk_actions_call_the_services(world):
    client = world["manager"]

    def act(name, *rows):
        return client.post(URL, {"action": name, "_selected_action": [row.pk for row in rows]})

    act("publish_now", world["draft"], world["live"])  # the live one is refused, the draft goes live
    act("pin", world["draft"])
    with tenant_context(world["tenant"]):
        draft = Announcement.objects.get(pk=world["draft"].pk)
        assert draft.publish_at is not None and draft.is_pinned
    act("unpin", world["draft"])
    act("unpublish", world["draft"])
    with tenant_context(world["tenant"]):
        draft.refresh_from_db()
        assert draft.publish_at is None and not draft.is_pinned


def test_staff_read_but_cannot_change(world):
    assert world["staff"].get(URL).status_code == 200
    assert world["staff"].get(f"{URL}add/").status_code == 403
    world["staff"].post(URL, {"action": "pin", "_selected_action": [world["live"].pk]})
    with tenant_context(world["tenant"]):
        assert not Announcement.objects.get(pk=world["live"].pk).is_pinned


CHANGELIST_QUERIES = 9  # session, user, membership, counts and one page with its read counts


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_changelist_query_count_is_fixed(world, django_assert_num_queries):
    client = world["staff"]
    client.get(URL)
    before = _queries(client)
    with tenant_context(world["tenant"]):
        for number in range(20):
            AnnouncementFactory(tenant=world["tenant"], title=f"More {number}")
    assert _queries(client) == before == CHANGELIST_QUERIES
    with django_assert_num_queries(CHANGELIST_QUERIES):
        client.get(URL)
