"""Who sees which announcement: the feed of a partner's user holds the live announcements whose restrictions all
match the company (program, tier, type, region, combined; none = everyone) — the same condition as the library's
assets —, never a scheduled, expired or draft one, nor another tenant's; vendor staff see all of them."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from content.selectors import announcement_feed, announcement_unread_count, announcements_for_partner
from content.services import announcement_mark_read
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.content.announcement_factories import AnnouncementFactory
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member


@pytest.fixture
def world(tenant_a, tenant_b):
    now = timezone.now()
    with tenant_context(tenant_a):
        program, other_program = ProgramFactory(tenant=tenant_a), ProgramFactory(tenant=tenant_a)
        gold, silver = TierFactory(program=program), TierFactory(program=program)
        partner = PartnerFactory(program=program, tier=gold, types=["reseller"], regions=["europe"])
        news = lambda title, **values: AnnouncementFactory(tenant=tenant_a, title=title, **values)  # noqa: E731
        rows = {
            "everyone": news("everyone"),
            "our program": news("our program", visible_program_ids=[program.pk, other_program.pk]),
            "other program": news("other program", visible_program_ids=[other_program.pk]),
            "gold": news("gold", visible_tier_ids=[gold.pk]),
            "silver": news("silver", visible_tier_ids=[silver.pk]),
            "resellers": news("resellers", visible_types=["reseller", "msp"]),
            "isvs": news("isvs", visible_types=["isv"]),
            "europe": news("europe", visible_regions=["europe"]),
            "apac": news("apac", visible_regions=["asia_pacific"]),
            "gold resellers in europe": news(
                "gold resellers in europe", visible_tier_ids=[gold.pk], visible_types=["reseller"],
                visible_regions=["europe"],
            ),
            "gold isvs": news("gold isvs", visible_tier_ids=[gold.pk], visible_types=["isv"]),
            "draft": news("draft", publish_at=None),
            "scheduled": news("scheduled", publish_at=now + timedelta(hours=1)),
            "expired": news("expired", publish_at=now - timedelta(days=3), expire_at=now - timedelta(seconds=1)),
            "until tomorrow": news("until tomorrow", expire_at=now + timedelta(days=1)),
        }  # fmt: skip
        member = partner_member(partner, role=Role.PARTNER_REP)
        staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    with tenant_context(tenant_b):
        AnnouncementFactory(tenant=tenant_b, title="other vendor's news")
    return {"partner": partner, "member": member, "staff": staff, "rows": rows}


SEEN = {
    "everyone", "our program", "gold", "resellers", "europe", "gold resellers in europe", "until tomorrow",
}  # fmt: skip


def _request(tenant, membership):
    request = RequestFactory().get("/")
    request.user, request.membership, request.tenant = membership.user, membership, tenant
    return request


def test_a_partner_sees_the_live_announcements_meant_for_it(world, tenant_a):
    with tenant_context(tenant_a):
        titles = set(announcements_for_partner(world["partner"]).values_list("title", flat=True))
    assert titles == SEEN


def test_scheduled_ones_appear_when_their_time_comes(world, tenant_a):
    with tenant_context(tenant_a):
        later = timezone.now() + timedelta(hours=2)
        titles = set(announcements_for_partner(world["partner"], now=later).values_list("title", flat=True))
    assert "scheduled" in titles and "draft" not in titles


def test_the_feed_puts_pinned_first_and_marks_unread_in_one_query(world, tenant_a, django_assert_num_queries):
    rows = world["rows"]
    with tenant_context(tenant_a):
        type(rows["europe"]).objects.filter(pk=rows["europe"].pk).update(is_pinned=True)
        announcement_mark_read(user=world["member"].user, announcement=rows["gold"])
        request = _request(tenant_a, world["member"])
        request._prm_partner = world["partner"]
        with django_assert_num_queries(1):
            feed = list(announcement_feed(request))
        assert feed[0].title == "europe"
        assert {row.title for row in feed} == SEEN
        assert {row.title for row in feed if not row.is_unread} == {"gold"}
        assert announcement_unread_count(request) == len(SEEN) - 1


def test_vendor_staff_see_every_announcement_of_their_tenant_only(world, tenant_a):
    with tenant_context(tenant_a):
        feed = announcement_feed(_request(tenant_a, world["staff"]))
        titles = set(feed.values_list("title", flat=True))
    assert titles == set(world["rows"])
