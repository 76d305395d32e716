"""Concurrent requests on real connections: the last item in stock goes to one requester, and one person's points
cannot be spent twice (the reward row lock and the per-recipient advisory lock)."""

import threading

import pytest
from django.db import connection

from incentives.models import LedgerEntry, Redemption, Reward
from incentives.services import redemption_request
from prm.errors import DomainError
from prm.tenancy.context import tenant_context

from .points_world import points_world


def _race(tenant, attempts):
    """Run each (actor, partner, reward) at the same moment; returns the outcome codes."""
    start = threading.Barrier(len(attempts))
    outcomes = []

    def attempt(actor, partner, reward):
        try:
            with tenant_context(tenant):
                start.wait()
                redemption_request(actor=actor, partner=partner, reward=reward)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=args) for args in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_the_last_item_in_stock_goes_to_one_requester(tenant_a):
    world = points_world(tenant_a)
    with tenant_context(tenant_a):
        Reward.objects.filter(pk=world["hoodie"].pk).update(stock=1)
    outcomes = _race(
        tenant_a,
        [
            (world["mine_rep"].user, world["mine"], world["hoodie"]),
            (world["mine_rep2"].user, world["mine"], world["hoodie"]),
        ],
    )
    assert outcomes == ["ok", "state_conflict"]
    with tenant_context(tenant_a):
        assert Reward.objects.get(pk=world["hoodie"].pk).stock == 0
        assert Redemption.objects.count() == 1
        assert LedgerEntry.objects.filter(entry_type="redemption").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_persons_points_are_spent_once(tenant_a):
    world = points_world(tenant_a)
    rep2 = world["mine_rep2"].user  # 400 points, two requests of 300
    outcomes = _race(tenant_a, [(rep2, world["mine"], world["card"]), (rep2, world["mine"], world["card"])])
    assert outcomes == ["insufficient_points", "ok"]
    with tenant_context(tenant_a):
        assert sum(line.amount for line in LedgerEntry.objects.filter(recipient_user=rep2)) == 100
