"""Leaderboard snapshots, hand-computed: each metric and scope, ties, filters that re-rank, reruns that replace,
and what a partner sees (published or not, anonymised, its own rank outside the top 10)."""

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from incentives.models import LeaderboardSnapshot, LedgerEntry
from incentives.selectors import leaderboard_for_partner, leaderboard_top, partner_standing
from incentives.services import leaderboard_refresh
from prm.accounts.roles import Role
from prm.errors import InvalidInput
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, PartnerFactory, ProgramFactory, SaleRecordFactory, TierFactory, partner_member

Q3 = "2026-Q3"
_ENTRY_NUMBERS = itertools.count(1)


def board(metric, scope="partner", period=Q3):
    rows = LeaderboardSnapshot.objects.filter(period=period, metric=metric, scope=scope)
    return sorted((row.rank, row.partner_id, row.user_id, row.value) for row in rows)


def points(partner, amount, *, user=None, entry_type="earning", day=date(2026, 8, 1), unit="points"):
    n = next(_ENTRY_NUMBERS)
    return LedgerEntry.objects.create(
        partner=partner,
        recipient_partner=None if user else partner,
        recipient_user=user,
        unit=unit,
        currency="" if unit == "points" else "USD",
        amount=Decimal(amount),
        entry_type=entry_type,
        source=f"event:test:{n}",
        idempotency_key=f"test:{n}",
        occurred_on=day,
    )


@pytest.fixture
def trio(tenant_a):
    """Three partners of one program, the first two with a rep each."""
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        partners = [PartnerFactory(program=program, name=name) for name in ("Alpha", "Bravo", "Charlie")]
        reps = [partner_member(partner, role=Role.PARTNER_REP).user for partner in partners[:2]]
    return partners, reps


@pytest.mark.django_db
def test_revenue_by_partner_and_by_rep(tenant_a, trio):
    (alpha, bravo, charlie), (rep_a, rep_b) = trio
    with tenant_context(tenant_a):
        SaleRecordFactory(partner=alpha, rep=rep_a, amount=Decimal("1000.00"), booked_on=date(2026, 7, 1))
        SaleRecordFactory(partner=alpha, amount=Decimal("500.50"), booked_on=date(2026, 9, 30))
        SaleRecordFactory(partner=alpha, rep=rep_a, amount=Decimal("-200.00"), booked_on=date(2026, 8, 1))  # credit
        SaleRecordFactory(partner=bravo, rep=rep_b, amount=Decimal("2000.00"), booked_on=date(2026, 8, 15))
        SaleRecordFactory(partner=bravo, amount=Decimal("9999.00"), currency="EUR", booked_on=date(2026, 8, 15))
        SaleRecordFactory(partner=charlie, amount=Decimal("7000.00"), booked_on=date(2026, 6, 30))  # Q2
        SaleRecordFactory(partner=charlie, amount=Decimal("-50.00"), booked_on=date(2026, 7, 2))  # net negative

        leaderboard_refresh(period_key=Q3)

        # Alpha 1000 + 500.50 - 200; Bravo's EUR sale is not in the vendor's currency; Charlie has nothing positive.
        assert board("revenue") == [(1, bravo.pk, None, Decimal("2000.00")), (2, alpha.pk, None, Decimal("1300.50"))]
        assert board("revenue", "rep") == [
            (1, bravo.pk, rep_b.pk, Decimal("2000.00")),
            (2, alpha.pk, rep_a.pk, Decimal("800.00")),
        ]
        snapshot = LeaderboardSnapshot.objects.get(metric="revenue", scope="partner", partner=alpha)
        assert (snapshot.program_id_at, snapshot.tier_id_at, snapshot.regions_at) == (
            alpha.program_id,
            None,
            ["europe"],
        )


@pytest.mark.django_db
def test_deals_won_and_approved_registrations_count_in_the_tenants_time_zone(tenant_a, trio):
    (alpha, bravo, charlie), (rep_a, rep_b) = trio
    tenant_a.timezone = "Europe/Amsterdam"
    tenant_a.save()
    late_june_utc = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 1 July 00:30 in Amsterdam: Q3
    with tenant_context(tenant_a):
        DealFactory(partner=alpha, registered_by=rep_a, status="won", closed_at=late_june_utc, decided_at=late_june_utc)
        DealFactory(partner=alpha, registered_by=rep_a, status="won", closed_at=datetime(2026, 8, 1, tzinfo=UTC))
        DealFactory(partner=alpha, status="lost", closed_at=datetime(2026, 8, 1, tzinfo=UTC))
        DealFactory(partner=bravo, registered_by=rep_b, status="won", closed_at=datetime(2026, 9, 1, tzinfo=UTC))
        DealFactory(partner=bravo, status="won", closed_at=datetime(2026, 6, 30, 21, 0, tzinfo=UTC))  # 23:00: Q2
        # Approvals by their decision date, whatever happened since; rejected and pending ones do not count.
        DealFactory(partner=bravo, registered_by=rep_b, status="approved", decided_at=datetime(2026, 7, 5, tzinfo=UTC))
        DealFactory(partner=bravo, registered_by=rep_b, status="expired", decided_at=datetime(2026, 7, 6, tzinfo=UTC))
        DealFactory(partner=bravo, status="lost", decided_at=datetime(2026, 7, 7, tzinfo=UTC))
        DealFactory(partner=charlie, status="rejected", decided_at=datetime(2026, 7, 5, tzinfo=UTC))
        DealFactory(partner=charlie, status="submitted")

        leaderboard_refresh(period_key=Q3)

        assert board("deals_won") == [(1, alpha.pk, None, Decimal(2)), (2, bravo.pk, None, Decimal(1))]
        assert board("deals_won", "rep") == [(1, alpha.pk, rep_a.pk, Decimal(2)), (2, bravo.pk, rep_b.pk, Decimal(1))]
        assert board("approved_registrations") == [(1, bravo.pk, None, Decimal(3)), (2, alpha.pk, None, Decimal(1))]
        assert board("approved_registrations", "rep") == [
            (1, bravo.pk, rep_b.pk, Decimal(2)),
            (2, alpha.pk, rep_a.pk, Decimal(1)),
        ]


@pytest.mark.django_db
def test_points_count_positive_earnings_and_true_ups_only(tenant_a, trio):
    (alpha, bravo, charlie), (rep_a, rep_b) = trio
    with tenant_context(tenant_a):
        points(alpha, "100", user=rep_a)
        points(alpha, "30", user=rep_a, entry_type="true_up")
        points(alpha, "-20", user=rep_a, entry_type="true_up")  # a negative true-up is not earned
        points(alpha, "50")  # to the company itself
        points(alpha, "-80", user=rep_a, entry_type="redemption")
        points(bravo, "90", user=rep_b)
        points(bravo, "500", user=rep_b, day=date(2026, 10, 1))  # Q4
        points(charlie, "1000.00", unit="money")  # money, not points
        points(charlie, "10", entry_type="adjustment")  # manual adjustments are not earnings

        leaderboard_refresh(period_key=Q3)

        assert board("points") == [(1, alpha.pk, None, Decimal(180)), (2, bravo.pk, None, Decimal(90))]
        assert board("points", "rep") == [(1, alpha.pk, rep_a.pk, Decimal(130)), (2, bravo.pk, rep_b.pk, Decimal(90))]


@pytest.mark.django_db
def test_ties_share_a_rank_and_the_next_rank_skips(tenant_a, trio):
    (alpha, bravo, charlie), _reps = trio
    with tenant_context(tenant_a):
        for partner, amount in ((alpha, "500.00"), (bravo, "500.00"), (charlie, "100.00")):
            SaleRecordFactory(partner=partner, amount=Decimal(amount), booked_on=date(2026, 7, 1))
        leaderboard_refresh(period_key=Q3)
        assert [rank for rank, *_rest in board("revenue")] == [1, 1, 3]
        top = leaderboard_top(period=Q3, metric="revenue", scope="partner")
        assert [(row.rank, row.name) for row in top] == [(1, "Alpha"), (1, "Bravo"), (3, "Charlie")]


@pytest.mark.django_db
def test_a_rerun_replaces_the_periods_rows_and_leaves_other_periods(tenant_a, trio):
    (alpha, bravo, _charlie), _reps = trio
    with tenant_context(tenant_a):
        SaleRecordFactory(partner=alpha, amount=Decimal("100.00"), booked_on=date(2026, 7, 1))
        SaleRecordFactory(partner=bravo, amount=Decimal("50.00"), booked_on=date(2026, 7, 1))
        assert leaderboard_refresh(period_key=Q3) == 2  # revenue by partner; no reps, deals or points
        leaderboard_refresh(period_key="2026-07")
        SaleRecordFactory(partner=bravo, amount=Decimal("100.00"), booked_on=date(2026, 8, 1))

        leaderboard_refresh(period_key=Q3)

        assert board("revenue") == [(1, bravo.pk, None, Decimal("150.00")), (2, alpha.pk, None, Decimal("100.00"))]
        assert board("revenue", period="2026-07") == [
            (1, alpha.pk, None, Decimal("100.00")),
            (2, bravo.pk, None, Decimal("50.00")),
        ]
        assert LeaderboardSnapshot.objects.count() == 4


@pytest.mark.django_db
def test_bad_period_is_invalid_input(tenant_a):
    with tenant_context(tenant_a), pytest.raises(InvalidInput) as error:
        leaderboard_refresh(period_key="2026-Q5")
    assert "period" in error.value.fields


@pytest.fixture
def segments(tenant_a):
    """Five partners over two programs, tiers and regions, revenue 500, 400, 300, 200, 100 in Q3."""
    with tenant_context(tenant_a):
        gold = TierFactory(program__tenant=tenant_a, name="Gold")
        other = ProgramFactory(tenant=tenant_a)
        specs = [
            ("P500", gold.program, gold, ["europe"]),
            ("P400", other, None, ["north_america"]),
            ("P300", gold.program, None, ["europe", "asia_pacific"]),
            ("P200", other, None, ["europe"]),
            ("P100", gold.program, gold, ["asia_pacific"]),
        ]
        partners = {}
        for name, program, tier, regions in specs:
            partner = PartnerFactory(program=program, tier=tier, name=name, regions=regions)
            SaleRecordFactory(partner=partner, amount=Decimal(name[1:]), booked_on=date(2026, 7, 1))
            partners[name] = partner
        leaderboard_refresh(period_key=Q3)
    return partners, gold, other


@pytest.mark.django_db
def test_filters_rank_again_among_the_rows_that_remain(tenant_a, segments):
    partners, gold, other = segments
    with tenant_context(tenant_a):

        def names(**filters):
            return [
                (row.rank, row.name) for row in leaderboard_top(period=Q3, metric="revenue", scope="partner", **filters)
            ]

        assert names(program=gold.program) == [(1, "P500"), (2, "P300"), (3, "P100")]
        assert names(program=other.pk) == [(1, "P400"), (2, "P200")]
        assert names(tier=gold) == [(1, "P500"), (2, "P100")]
        assert names(region="europe") == [(1, "P500"), (2, "P300"), (3, "P200")]
        assert names(region="asia_pacific", program=gold.program) == [(1, "P300"), (2, "P100")]
        assert names(region="europe", limit=2) == [(1, "P500"), (2, "P300")]

        standing = partner_standing(
            period=Q3, metric="revenue", scope="partner", partner=partners["P200"], region="europe"
        )
        assert (standing.rank, standing.value, standing.own) == (3, Decimal("200.00"), True)
        unfiltered = partner_standing(period=Q3, metric="revenue", scope="partner", partner=partners["P200"])
        assert unfiltered.rank == 4


@pytest.mark.django_db
def test_the_top_is_one_query_whatever_its_length(tenant_a, segments, django_assert_num_queries):
    with tenant_context(tenant_a):
        for limit in (2, 5):
            with django_assert_num_queries(1):
                rows = leaderboard_top(period=Q3, metric="revenue", scope="partner", region="europe", limit=limit)
                assert all(row.name for row in rows)


@pytest.fixture
def twelve(tenant_a):
    """Twelve partners with revenue 1200 down to 100; the last one has a rep with points."""
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        partners = []
        for i in range(12, 0, -1):
            partner = PartnerFactory(program=program, name=f"Company {i:02d}")
            SaleRecordFactory(partner=partner, amount=Decimal(i * 100), booked_on=date(2026, 7, 1))
            partners.append(partner)
        leaderboard_refresh(period_key=Q3)
    return partners


@pytest.mark.django_db
def test_a_partner_sees_the_top_ten_anonymised_and_its_own_rank_outside_it(tenant_a, twelve):
    last = twelve[-1]
    with tenant_context(tenant_a):
        viewer = partner_member(last).user
        published = leaderboard_for_partner(
            period=Q3, metric="revenue", scope="partner", partner=last, user=viewer, show_names=False
        )
    assert [row.name for row in published.rows] == [f"Partner #{n}" for n in range(1, 11)]
    assert all(row.partner_id is None and row.partner_name == "" for row in published.rows)
    assert [row.rank for row in published.rows] == list(range(1, 11))
    assert (published.own.rank, published.own.name, published.own.value) == (12, "Company 01", Decimal("100.00"))


@pytest.mark.django_db
def test_names_are_shown_when_the_vendor_says_so_and_the_own_row_is_always_named(tenant_a, twelve):
    second = twelve[1]
    with tenant_context(tenant_a):
        viewer = partner_member(second).user
        hidden = leaderboard_for_partner(
            period=Q3, metric="revenue", scope="partner", partner=second, user=viewer, show_names=False
        )
        shown = leaderboard_for_partner(
            period=Q3, metric="revenue", scope="partner", partner=second, user=viewer, show_names=True
        )
    assert [(row.name, row.own) for row in hidden.rows[:3]] == [
        ("Partner #1", False),
        ("Company 11", True),
        ("Partner #3", False),
    ]
    assert [row.name for row in shown.rows[:3]] == ["Company 12", "Company 11", "Company 10"]
    assert hidden.own.rank == 2


@pytest.mark.django_db
def test_a_reps_board_anonymises_other_companies_reps(tenant_a, trio):
    (alpha, bravo, _charlie), (rep_a, rep_b) = trio
    with tenant_context(tenant_a):
        colleague = partner_member(alpha, role=Role.PARTNER_REP, full_name="Colleague").user
        points(bravo, "300", user=rep_b)
        points(alpha, "200", user=colleague)
        points(alpha, "100", user=rep_a)
        leaderboard_refresh(period_key=Q3)
        published = leaderboard_for_partner(
            period=Q3, metric="points", scope="rep", partner=alpha, user=rep_a, show_names=False
        )
    assert [(row.rank, row.name, row.own) for row in published.rows] == [
        (1, "Rep #1", False),
        (2, f"Colleague ({alpha.name})", False),
        (3, f"{rep_a.full_name} ({alpha.name})", True),
    ]
    assert published.rows[0].user_id is None
    assert published.own.rank == 3
