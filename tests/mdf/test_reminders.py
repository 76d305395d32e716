"""Reminders at the fund's lead times (15, 5, 1 days) before an allocation expires or a claim is due: each
(subject, deadline, lead time) once, a moved deadline again, a late run only the current lead time's."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mdf.models import MdfReminder
from mdf.rules import reminder_due
from mdf.services import mdf_reminders_send
from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, partner_member

from .factories import Q3_2026, AllocationFactory, FundFactory, MdfClaimFactory, MdfRequestFactory, mdf_world

D = Decimal
EXPIRES_ON = datetime.date(2026, 11, 29)
DAY = datetime.timedelta(days=1)


def test_each_lead_time_covers_the_days_down_to_the_next():
    lead_times = [15, 5, 1]
    assert [reminder_due(days, lead_times) for days in (16, 15, 6, 5, 2, 1, 0, -1)] == [None, 15, 15, 5, 5, 1, 1, None]
    assert reminder_due(3, []) is None


@given(
    lead_times=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=5, unique=True),
    run_days=st.sets(st.integers(min_value=0, max_value=70), min_size=1),
)
def test_daily_runs_send_each_lead_time_at_most_once_and_every_one_when_none_is_missed(lead_times, run_days):
    """Runs on any days (days left before the deadline) send, with the once-per-lead-time rows, one reminder per
    lead time at most and never one for a window already past; runs on every day send every lead time."""

    def sent(days_run):
        done = []
        for days_left in sorted(days_run, reverse=True):
            due = reminder_due(days_left, lead_times)
            if due is not None and due not in done:
                assert days_left <= due
                done.append(due)
        return done

    once = sent(run_days)
    assert once == sorted(once, reverse=True)  # the most urgent last
    assert sent(range(max(lead_times) + 1)) == sorted(lead_times, reverse=True)


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        yield mdf_world(tenant_a, **Q3_2026)


def _titles(user, prefix=""):
    titles = Notification.objects.filter(user=user, title__startswith=prefix).order_by("pk")
    return list(titles.values_list("title", flat=True))


@pytest.mark.django_db
def test_partners_with_money_left_are_reminded_before_their_allocations_expire(world):
    # 3,000 by hand (1,000 of it approved for a request) and 500 co-op: 2,500 available in one notice.
    MdfRequestFactory(tenant=world.tenant, allocation=world.allocation, approved_amount=D("1000.00"))
    coop = AllocationFactory(
        tenant=world.tenant, fund=world.fund, partner=world.partner, source="coop", amount=D("500")
    )
    spent = PartnerFactory(tenant=world.tenant, program=world.partner.program)
    spent_admin = partner_member(spent).user
    used = AllocationFactory(tenant=world.tenant, fund=world.fund, partner=spent, amount=D("800.00"))
    MdfRequestFactory(tenant=world.tenant, allocation=used, approved_amount=D("800.00"))
    admin = world.admin.user
    name = world.fund.name

    assert mdf_reminders_send(today=EXPIRES_ON - 16 * DAY).allocations == []

    sent = mdf_reminders_send(today=EXPIRES_ON - 15 * DAY)
    assert sent.allocations == [(world.allocation.pk, 15), (coop.pk, 15)]
    assert _titles(admin) == [f"MDF expires in 15 days: 2500.00 USD of {name}"]
    body = Notification.objects.get(user=admin).body
    assert "2500.00 USD" in body and "2026-11-29" in body
    assert _titles(spent_admin) == []  # nothing available: nothing to remind of

    # A rerun the same day, and the days up to the next lead time, send nothing.
    for day in (EXPIRES_ON - 15 * DAY, EXPIRES_ON - 14 * DAY, EXPIRES_ON - 6 * DAY):
        assert mdf_reminders_send(today=day).allocations == []
    mdf_reminders_send(today=EXPIRES_ON - 5 * DAY)
    mdf_reminders_send(today=EXPIRES_ON - DAY)
    mdf_reminders_send(today=EXPIRES_ON)  # expiry day: nothing left to remind of
    assert _titles(admin) == [
        f"MDF expires in 15 days: 2500.00 USD of {name}",
        f"MDF expires in 5 days: 2500.00 USD of {name}",
        f"MDF expires in 1 day: 2500.00 USD of {name}",
    ]
    assert MdfReminder.objects.filter(kind="allocation_expiry").count() == 6


@pytest.mark.django_db
def test_a_late_run_sends_only_the_nearest_lead_time(world):
    # The task was down from before the 15-day reminder until 3 days before: one reminder (5 days), not three.
    sent = mdf_reminders_send(today=EXPIRES_ON - 3 * DAY)
    assert sent.allocations == [(world.allocation.pk, 5)]
    assert _titles(world.admin.user) == [f"MDF expires in 3 days: 3000.00 USD of {world.fund.name}"]
    assert mdf_reminders_send(today=EXPIRES_ON - 2 * DAY).allocations == []
    assert mdf_reminders_send(today=EXPIRES_ON - DAY).allocations == [(world.allocation.pk, 1)]


@pytest.mark.django_db
def test_requesters_and_admins_are_reminded_before_a_claim_is_due(world):
    # Claim windows far from the allocation's expiry, so only claim reminders are due on these days.
    fund = FundFactory(tenant=world.tenant, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 3, 31))
    allocation = AllocationFactory(tenant=world.tenant, fund=fund, partner=world.partner)
    rep = partner_member(world.partner, role=Role.PARTNER_REP).user
    admin = world.admin.user
    ended = datetime.date(2027, 1, 10)  # claim due 60 days later: 11 March 2027
    due = ended + 60 * DAY

    def approved(**values):
        return MdfRequestFactory(
            tenant=world.tenant, allocation=allocation, requested_by=rep, starts_on=ended, ends_on=ended, **values
        )

    request = approved(title="Spring webinar")
    approved(title="Claimed already").claims.create(
        tenant=world.tenant, allocation=allocation, partner=world.partner, actual_cost=D("10"), amount=D("5"),
        status="submitted", submitted_at=timezone.now(), due_on=due,
    )  # fmt: skip
    approved(title="Rejected", status="rejected", approved_amount=None)

    sent = mdf_reminders_send(today=due - 15 * DAY)
    assert sent.requests == [(request.pk, 15)]
    assert _titles(rep) == ["Claim your MDF in 15 days: Spring webinar"]
    assert _titles(admin) == ["Claim your MDF in 15 days: Spring webinar"]
    body = Notification.objects.get(user=rep).body
    assert "1000.00 USD" in body and due.isoformat() in body
    assert mdf_reminders_send(today=due - 15 * DAY).requests == []

    # A draft claim whose window was extended: the new deadline is reminded again, the old one no more.
    MdfClaimFactory(request=request, due_on=due + 30 * DAY)
    assert mdf_reminders_send(today=due - 5 * DAY).requests == []
    assert mdf_reminders_send(today=due + 15 * DAY).requests == [(request.pk, 15)]
    assert mdf_reminders_send(today=due + 30 * DAY).requests == [(request.pk, 1)]
    assert _titles(rep, "Claim") == [
        "Claim your MDF in 15 days: Spring webinar",
        "Claim your MDF in 15 days: Spring webinar",
        "Claim your MDF today: Spring webinar",
    ]
    assert MdfReminder.objects.filter(kind="claim_due", request=request).count() == 3
