"""Points expiry, hand-computed: FIFO (oldest lots first), refunds that do not extend a lot's life, one line per
recipient and day (a rerun posts nothing), missed days caught up, the tenant's own months, balances."""

from datetime import date

import pytest

from incentives.models import IncentiveSettings, LedgerEntry
from incentives.selectors import points_balance
from incentives.services import points_expire, points_expiry_remind
from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, partner_member

from .factories import points_line


def _expiries(**recipient):
    field, value = next(iter(recipient.items()))
    lines = LedgerEntry.objects.filter(**{f"recipient_{field}": value}, entry_type="expiry").order_by("occurred_on")
    return [(line.occurred_on, int(line.amount)) for line in lines]


@pytest.fixture
def rep_history(tenant_a):
    """Earn 100 (15 Jan 2025) and 50 (10 Feb), redeem 120 (1 Mar), earn 30 (20 Jun), redeem 20 (1 Jul)
    refunded (5 Jul)."""
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, role=Role.PARTNER_REP).user
        for amount, day, kind in [
            (100, date(2025, 1, 15), "earning"),
            (50, date(2025, 2, 10), "earning"),
            (-120, date(2025, 3, 1), "redemption"),
            (30, date(2025, 6, 20), "adjustment"),
            (-20, date(2025, 7, 1), "redemption"),
            (20, date(2025, 7, 5), "refund"),
        ]:
            points_line(user=rep, for_partner=partner, amount=amount, occurred_on=day, entry_type=kind)
    return partner, rep


def test_oldest_points_expire_first_and_refunds_do_not_extend_their_life(tenant_a, rep_history):
    partner, rep = rep_history
    with tenant_context(tenant_a):
        # The January lot is spent by the March redemption: nothing to expire on its anniversary.
        assert points_expire(today=date(2026, 1, 14)).lines == 0
        assert points_expire(today=date(2026, 1, 15)).lines == 0
        # February: 150 earned by then − 120 spent = 30 of the February lot expire.
        result = points_expire(today=date(2026, 2, 10))
        assert (result.lines, result.points) == (1, 30)
        assert points_expire(today=date(2026, 6, 19)).lines == 0
        # June: 180 − (120 spent + 30 expired) = 30; the refunded 20 were June points, not new ones.
        assert points_expire(today=date(2026, 6, 20)).points == 30
        assert _expiries(user=rep) == [(date(2026, 2, 10), -30), (date(2026, 6, 20), -30)]
        line = LedgerEntry.objects.get(recipient_user=rep, occurred_on=date(2026, 2, 10), entry_type="expiry")
        assert line.idempotency_key == f"expiry:u{rep.pk}:2026-02-10"
        assert line.partner_id == partner.pk and line.unit == "points" and line.currency == ""
        assert line.explanation == {
            "earned_on_or_before": "2025-02-10",
            "months": 12,
            "earned_by_then": "150.00",
            "spent_before": "120.00",
        }
        assert points_balance(user=rep, today=date(2026, 6, 20)).available == 0


def test_a_rerun_the_same_day_posts_nothing_and_a_missed_day_is_caught_up(tenant_a, rep_history):
    _partner, rep = rep_history
    with tenant_context(tenant_a):
        # The job did not run in February: on 1 July both the February rest and the June lot go, in one line.
        assert points_expire(today=date(2026, 7, 1)).points == 60
        before = LedgerEntry.objects.count()
        assert points_expire(today=date(2026, 7, 1)).lines == 0
        assert points_expire(today=date(2026, 7, 2)).lines == 0
        assert LedgerEntry.objects.count() == before
        assert _expiries(user=rep) == [(date(2026, 7, 1), -60)]


def test_balance_counts_earned_redeemed_expired_and_what_expires_soon(tenant_a, rep_history):
    _partner, rep = rep_history
    with tenant_context(tenant_a):
        balance = points_balance(user=rep, today=date(2026, 2, 1))
        # By 3 Mar 2026 the lots up to 3 Mar 2025 (150) are due; 120 are spent: 30 expire unless spent.
        assert (balance.available, balance.earned, balance.redeemed, balance.expired) == (60, 180, 120, 0)
        assert (balance.expiring_soon, balance.expiring_by) == (30, date(2026, 3, 3))
        points_expire(today=date(2026, 2, 10))
        balance = points_balance(user=rep, today=date(2026, 2, 10))
        assert (balance.available, balance.expired, balance.expiring_soon) == (30, 30, 0)


def test_company_points_use_the_tenants_months_and_other_tenants_are_untouched(tenant_a, tenant_b):
    with tenant_context(tenant_b):
        b_partner = PartnerFactory(program__tenant=tenant_b)
        points_line(partner=b_partner, amount=500, occurred_on=date(2025, 1, 1))
    with tenant_context(tenant_a):
        IncentiveSettings.objects.create(points_expiry_months=6)
        partner = PartnerFactory(program__tenant=tenant_a)
        points_line(partner=partner, amount=200, occurred_on=date(2025, 1, 31))
        points_line(partner=partner, amount=-50, occurred_on=date(2025, 3, 1), entry_type="clawback")
        # 31 Jan + 6 months: the cutoff of 30 Jul is 30 Jan (month ends clamp), so not yet on 30 July.
        assert points_expire(today=date(2025, 7, 30)).lines == 0
        assert points_expire(today=date(2025, 7, 31)).points == 150
        assert _expiries(partner=partner) == [(date(2025, 7, 31), -150)]
    with tenant_context(tenant_b):
        assert not LedgerEntry.objects.filter(entry_type="expiry").exists()


def test_nothing_expires_for_a_recipient_in_debt(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, role=Role.PARTNER_REP).user
        points_line(user=rep, for_partner=partner, amount=40, occurred_on=date(2025, 1, 1))
        points_line(user=rep, for_partner=partner, amount=-60, occurred_on=date(2025, 2, 1), entry_type="clawback")
        assert points_expire(today=date(2026, 3, 1)).lines == 0
        assert points_balance(user=rep, today=date(2026, 3, 1)).available == -20


def test_people_hear_30_days_before_their_points_expire_once(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, role=Role.PARTNER_REP).user
        spent = partner_member(partner, role=Role.PARTNER_REP).user
        points_line(user=rep, for_partner=partner, amount=100, occurred_on=date(2025, 3, 10))
        points_line(user=rep, for_partner=partner, amount=50, occurred_on=date(2025, 5, 1))
        points_line(user=rep, for_partner=partner, amount=-30, occurred_on=date(2025, 4, 1), entry_type="redemption")
        points_line(user=spent, for_partner=partner, amount=100, occurred_on=date(2025, 3, 10))
        points_line(user=spent, for_partner=partner, amount=-100, occurred_on=date(2025, 4, 1), entry_type="redemption")

        assert points_expiry_remind(today=date(2026, 2, 7)) == 0  # the March lot is still 31 days away
        assert points_expiry_remind(today=date(2026, 2, 8)) == 1
        assert points_expiry_remind(today=date(2026, 2, 8)) == 0
        assert points_expiry_remind(today=date(2026, 2, 9)) == 0
        notes = list(Notification.objects.values_list("user_id", "title", "url"))
        assert notes == [(rep.pk, "70 of your points expire on March 10, 2026", "/rewards/")]
