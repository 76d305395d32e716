"""Property: the set-based expiry posts exactly what a lot-by-lot FIFO simulation expires, when earnings and
redemptions arrive day by day and the expiry runs on some of the days (missed days included)."""

from collections import deque
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incentives.models import LedgerEntry
from incentives.points_fifo import expiry_cutoff
from incentives.services import points_expire
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, partner_member

from .factories import points_line

START = date(2024, 1, 1)
events = st.lists(
    st.tuples(st.integers(0, 800), st.sampled_from(["earn", "redeem"]), st.integers(1, 300)), min_size=1, max_size=12
)
# Expiry runs on random days and around the day an event's points turn 12 months old (index of an event, ±1 day).
checks = st.lists(st.integers(0, 900), max_size=3, unique=True)
boundaries = st.lists(st.tuples(st.integers(0, 11), st.integers(-1, 1)), min_size=1, max_size=4)


class Simulation:
    """Lots with what is left of each; a redemption takes from the oldest first; expiry empties old lots."""

    def __init__(self):
        self.lots = deque()

    @property
    def available(self) -> int:
        return sum(left for _day, left in self.lots)

    def earn(self, day, points):
        self.lots.append([day, points])

    def redeem(self, points):
        for lot in self.lots:
            taken = min(lot[1], points)
            lot[1] -= taken
            points -= taken

    def expire(self, today) -> int:
        cutoff, expired = expiry_cutoff(today, 12), 0
        for lot in self.lots:
            if lot[0] <= cutoff:
                expired, lot[1] = expired + lot[1], 0
        return expired


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=events, checks=checks, boundaries=boundaries)
def test_set_based_expiry_matches_a_lot_by_lot_simulation(tenant_a, events, checks, boundaries):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        rep = partner_member(partner, role=Role.PARTNER_REP).user
        simulation = Simulation()
        for index, delta in boundaries:
            anniversary = START + timedelta(days=events[index % len(events)][0]) + relativedelta(months=12)
            checks = [*checks, (anniversary + timedelta(days=delta) - START).days]
        checks = sorted(set(checks))
        timeline = sorted(
            [(offset, 0, kind, points) for offset, kind, points in events] + [(o, 1, "check", 0) for o in checks]
        )
        for number, (offset, _order, kind, points) in enumerate(timeline):
            day = START + timedelta(days=offset)
            if kind == "earn":
                simulation.earn(day, points)
                points_line(user=rep, for_partner=partner, amount=points, occurred_on=day, key=f"e{rep.pk}:{number}")
            elif kind == "redeem":
                points = min(points, simulation.available)
                if points:
                    simulation.redeem(points)
                    points_line(
                        user=rep, for_partner=partner, amount=-points, occurred_on=day, entry_type="redemption",
                        key=f"r{rep.pk}:{number}",
                    )  # fmt: skip
            else:
                expected = simulation.expire(day)
                points_expire(today=day)
                posted = LedgerEntry.objects.filter(recipient_user=rep, entry_type="expiry", occurred_on=day)
                assert -sum(line.amount for line in posted) == expected, (day, timeline)
        assert sum(line.amount for line in LedgerEntry.objects.filter(recipient_user=rep)) == simulation.available
