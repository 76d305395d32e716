"""Redemption services: the debit and the refund, stock, tier eligibility, insufficient points, company points,
the points' age, state conflicts and notifications."""

import pytest

from incentives.models import LedgerEntry, Redemption, Reward
from incentives.selectors import points_balance
from incentives.services import InsufficientPoints, redemption_fulfil, redemption_refuse, redemption_request
from partners.services.tiers import tenant_today
from prm.errors import InvalidInput, NotAllowed, StateConflict
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context

from .points_world import earn, points_world


@pytest.fixture
def world(tenant_a):
    return points_world(tenant_a)


def _available(**who):
    return points_balance(**who, today=tenant_today()).available


def test_a_request_debits_the_points_and_a_refusal_refunds_them(tenant_a, world):
    rep = world["mine_rep"].user
    with tenant_context(tenant_a):
        redemption = redemption_request(actor=rep, partner=world["mine"], reward=world["hoodie"], note="Size M")
        debit = LedgerEntry.objects.get(idempotency_key=f"redemption:{redemption.pk}")
        assert (debit.amount, debit.entry_type, debit.recipient_user_id, debit.partner_id) == (
            -200, "redemption", rep.pk, world["mine"].pk,
        )  # fmt: skip
        assert (redemption.status, redemption.points, redemption.points_age_days) == ("requested", 200, 100)
        assert _available(user=rep) == 800
        assert Reward.objects.get(pk=world["hoodie"].pk).stock == 1
        assert Notification.objects.filter(user=world["manager"].user).count() == 1

        refused = redemption_refuse(actor=world["manager"].user, redemption=redemption, reason="Size M is gone.")
        refund = LedgerEntry.objects.get(idempotency_key=f"refund:{redemption.pk}")
        assert (refund.amount, refund.entry_type, refund.reverses_id, refund.reason) == (
            200, "refund", debit.pk, "Size M is gone.",
        )  # fmt: skip
        assert (refused.status, refused.decision_note, refused.decided_by_id) == (
            "refused", "Size M is gone.", world["manager"].user.pk,
        )  # fmt: skip
        assert _available(user=rep) == 1000
        assert Reward.objects.get(pk=world["hoodie"].pk).stock == 2
        assert Notification.objects.filter(user=rep).count() == 1
        with pytest.raises(StateConflict) as conflict:
            redemption_refuse(actor=world["manager"].user, redemption=redemption, reason="again")
        assert conflict.value.current_state == "refused"
        with pytest.raises(StateConflict):
            redemption_fulfil(actor=world["manager"].user, redemption=redemption)
        assert LedgerEntry.objects.filter(source=f"redemption:{redemption.pk}").count() == 2


def test_fulfilment_keeps_the_points_spent(tenant_a, world):
    rep = world["mine_rep"].user
    with tenant_context(tenant_a):
        redemption = redemption_request(actor=rep, partner=world["mine"], reward=world["card"])
        done = redemption_fulfil(actor=world["manager"].user, redemption=redemption, note="Code sent.")
        assert (done.status, done.decision_note) == ("fulfilled", "Code sent.")
        assert _available(user=rep) == 700
        with pytest.raises(InvalidInput):
            redemption_refuse(actor=world["manager"].user, redemption=done, reason="  ")
        with pytest.raises(StateConflict):
            redemption_refuse(actor=world["manager"].user, redemption=done, reason="late")


def test_insufficient_points_change_nothing(tenant_a, world):
    rep2 = world["mine_rep2"].user  # 400 points
    with tenant_context(tenant_a):
        with pytest.raises(InsufficientPoints) as refused:
            redemption_request(actor=rep2, partner=world["mine"], reward=world["summit"])
        assert refused.value.status == 409
        assert "500 points; 400 are available" in refused.value.message
        assert not Redemption.objects.exists()
        assert _available(user=rep2) == 400


def test_tier_eligibility_activity_and_stock(tenant_a, world):
    with tenant_context(tenant_a):
        with pytest.raises(NotAllowed):  # Summit is for gold; Other is silver
            redemption_request(actor=world["other_rep"].user, partner=world["other"], reward=world["summit"])
        with pytest.raises(StateConflict):
            redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world["retired"])
        redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world["summit"])
        for _ in range(2):
            redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world["hoodie"])
        with pytest.raises(StateConflict) as empty:
            redemption_request(actor=world["mine_rep"].user, partner=world["mine"], reward=world["hoodie"])
        assert empty.value.current_state == "out_of_stock"
        assert _available(user=world["mine_rep"].user) == 100


def test_company_points_are_for_partner_admins_and_people_only_redeem_at_their_own_partner(tenant_a, world):
    with tenant_context(tenant_a):
        admin = world["mine_admin"].user
        redemption = redemption_request(actor=admin, partner=world["mine"], reward=world["summit"], account="company")
        debit = LedgerEntry.objects.get(idempotency_key=f"redemption:{redemption.pk}")
        assert (debit.recipient_partner_id, debit.recipient_user_id) == (world["mine"].pk, None)
        assert _available(partner=world["mine"]) == 1500
        with pytest.raises(NotAllowed):
            redemption_request(
                actor=world["mine_rep"].user, partner=world["mine"], reward=world["card"], account="company"
            )
        with pytest.raises(NotAllowed):
            redemption_request(actor=world["other_rep"].user, partner=world["mine"], reward=world["card"])
        redemption_refuse(actor=world["manager"].user, redemption=redemption, reason="Sold out")
        assert _available(partner=world["mine"]) == 2000


def test_points_age_is_the_oldest_unspent_lot(tenant_a, world):
    rep = world["mine_rep2"].user  # 400 earned 5 days ago
    with tenant_context(tenant_a):
        earn(100, user=rep, for_partner=world["mine"], days_ago=40, key="older")
        first = redemption_request(actor=rep, partner=world["mine"], reward=world["hoodie"])
        assert first.points_age_days == 40  # the 40-day-old lot is still unspent
        second = redemption_request(actor=rep, partner=world["mine"], reward=world["hoodie"])
        assert second.points_age_days == 5  # 200 spent: the old lot (100) is gone, the 5-day one is next
