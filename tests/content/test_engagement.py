"""The engagement score: the pure formula (caps, weights, bounds) and the metric computed for a whole set of
partners in one query from sign-ins, content events, first course passes and redemptions of the 90 days up to and
including `as_of` (day 90 in, day 91 out), other tenants' rows ignored, partners with nothing at 0."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from content.engagement import ENGAGEMENT_90D, engagement_90d
from content.engagement_rules import INPUTS, EngagementCounts, engagement_score
from content.models import AssetEvent, Attempt, Course
from incentives.models import Redemption
from partners.metrics import metric_get
from partners.models import Partner
from prm.accounts.models import SignIn
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.content.factories import AssetFactory
from tests.factories import PartnerFactory, partner_member
from tests.incentives.factories import RewardFactory

AS_OF = date(2026, 6, 30)
IN_FIRST_DAY = date(2026, 4, 2)  # the 90th day back from 30 June, counting 30 June as the first
OUT_DAY = date(2026, 4, 1)  # the 91st


def test_weights_make_a_hundred_points():
    assert sum(part.weight for part in INPUTS.values()) == 100


def test_score_weighs_each_input_up_to_its_cap():
    assert engagement_score(EngagementCounts()) == Decimal("0.00")
    # 10/20 × 30 + 15/30 × 30 + 1/3 × 25 + 1/2 × 15 = 15 + 15 + 8.33 + 7.5
    assert engagement_score(EngagementCounts(signins=10, content_events=15, course_completions=1, redemptions=1)) == (
        Decimal("45.83")
    )
    # a hundred sign-ins are worth no more than twenty: one habit cannot make up for the rest
    assert engagement_score(EngagementCounts(signins=100)) == Decimal("30.00")
    assert engagement_score(EngagementCounts(signins=20, content_events=30, course_completions=3, redemptions=2)) == (
        Decimal("100.00")
    )
    assert engagement_score(EngagementCounts(signins=999, content_events=999, course_completions=9, redemptions=9)) == (
        Decimal("100.00")
    )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _signin(membership, day):
    row = SignIn.objects.create(membership=membership)
    SignIn.objects.filter(pk=row.pk).update(signed_in_at=_at(day))


def _event(asset, membership, partner, day, kind="view"):
    row = AssetEvent.objects.create(asset=asset, kind=kind, user=membership.user, partner=partner)
    AssetEvent.objects.filter(pk=row.pk).update(occurred_at=_at(day))


def _attempt(course, membership, partner, day, *, passed=True):
    row = Attempt.objects.create(
        course=course,
        user=membership.user,
        partner=partner,
        correct=1,
        total=1,
        score=100 if passed else 0,
        pass_mark=80,
        passed=passed,
    )
    Attempt.objects.filter(pk=row.pk).update(submitted_at=_at(day))


def _redemption(reward, membership, partner, day, status="requested"):
    row = Redemption.objects.create(reward=reward, user=membership.user, partner=partner, points=100, status=status)
    Redemption.objects.filter(pk=row.pk).update(requested_at=_at(day))


@pytest.fixture
def world(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        busy, idle = PartnerFactory(program__tenant=tenant_a), PartnerFactory(program__tenant=tenant_a)
        admin = partner_member(busy)
        rep = partner_member(busy, role=Role.PARTNER_REP)
        asset = AssetFactory(library__tenant=tenant_a)
        course, other_course = (
            Course.objects.create(title="Selling 101", is_published=True),
            Course.objects.create(title="Servicing 101", is_published=True),
        )
        reward = RewardFactory(tenant=tenant_a)
        # sign-ins: 3 in the window (one on its first day), 1 the day before it, 1 after as_of
        for day in (AS_OF, date(2026, 5, 10), IN_FIRST_DAY, OUT_DAY, date(2026, 7, 1)):
            _signin(admin, day)
        _signin(rep, date(2026, 6, 1))
        # content: 2 views and 1 download in the window, 1 view outside it
        _event(asset, admin, busy, AS_OF)
        _event(asset, rep, busy, IN_FIRST_DAY, kind="download")
        _event(asset, rep, busy, date(2026, 6, 2))
        _event(asset, rep, busy, OUT_DAY)
        # courses: admin passed Selling 101 in the window (after a failed try) and again later: one completion;
        # rep first passed Selling 101 before the window, then again inside it: none; rep passed Servicing 101: one
        _attempt(course, admin, busy, date(2026, 5, 1), passed=False)
        _attempt(course, admin, busy, date(2026, 5, 2))
        _attempt(course, admin, busy, date(2026, 6, 20))
        _attempt(course, rep, busy, date(2026, 3, 1))
        _attempt(course, rep, busy, date(2026, 6, 3))
        _attempt(other_course, rep, busy, IN_FIRST_DAY)
        # redemptions: requested and fulfilled count, refused does not, one outside the window
        _redemption(reward, admin, busy, date(2026, 6, 5))
        _redemption(reward, rep, busy, date(2026, 6, 6), status="fulfilled")
        _redemption(reward, rep, busy, date(2026, 6, 7), status="refused")
        _redemption(reward, rep, busy, OUT_DAY)
    with tenant_context(tenant_b):  # another vendor's busy partner: never counted in tenant A
        other = PartnerFactory(program__tenant=tenant_b)
        member = partner_member(other)
        for day in (AS_OF, AS_OF, AS_OF):
            _signin(member, day)
    return {"busy": busy, "idle": idle}


def test_engagement_counts_each_input_in_the_window_in_one_query(world, tenant_a, django_assert_num_queries):
    from content.selectors import engagement_counts

    with tenant_context(tenant_a), django_assert_num_queries(1):
        counts = engagement_counts(Partner.objects.all(), as_of=AS_OF)
    assert counts[world["busy"].pk] == {"signins": 4, "content_events": 3, "course_completions": 2, "redemptions": 2}
    assert counts[world["idle"].pk] == {"signins": 0, "content_events": 0, "course_completions": 0, "redemptions": 0}


def test_engagement_score_metric_is_registered_and_hand_computed(world, tenant_a, django_assert_num_queries):
    # busy: 4/20 × 30 + 3/30 × 30 + 2/3 × 25 + 2/2 × 15 = 6 + 3 + 16.67 + 15
    metric = metric_get(ENGAGEMENT_90D)
    assert metric.unit == "score"
    with tenant_context(tenant_a), django_assert_num_queries(1):
        scores = metric.compute(Partner.objects.all(), as_of=AS_OF)
    assert scores == {world["busy"].pk: Decimal("40.67"), world["idle"].pk: Decimal("0.00")}


def test_as_of_moves_the_window(world, tenant_a):
    with tenant_context(tenant_a):
        # a day earlier, 30 June's sign-in, view and the rep's ones stay; 1 April comes in and 2 April stays
        earlier = metric_get("signins_90d").compute(Partner.objects.all(), as_of=date(2026, 6, 29))
        assert earlier[world["busy"].pk] == Decimal(4)  # 10 May, 2 Apr, 1 Apr, rep 1 Jun
        later = metric_get("content_events_90d").compute(Partner.objects.all(), as_of=date(2026, 7, 1))
        assert later[world["busy"].pk] == Decimal(2)  # 2 April leaves, 30 June and 2 June stay
        assert engagement_90d(Partner.objects.filter(pk=world["idle"].pk), as_of=AS_OF) == {
            world["idle"].pk: Decimal("0.00")
        }


def test_raw_counts_are_metrics(world, tenant_a):
    with tenant_context(tenant_a):
        partners = Partner.objects.filter(pk=world["busy"].pk)
        values = {
            key: metric_get(key).compute(partners, as_of=AS_OF)[world["busy"].pk]
            for key in ("signins_90d", "content_events_90d", "course_completions_90d", "redemptions_90d")
        }
    assert values == {
        "signins_90d": Decimal(4),
        "content_events_90d": Decimal(3),
        "course_completions_90d": Decimal(2),
        "redemptions_90d": Decimal(2),
    }
