"""The daily period start: funds in their period get their tier and co-op allocations once; a fund that would
pass its budget gets none, its managers are told once a day, and the other funds carry on."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from mdf.models import Allocation
from mdf.services import funds_period_start
from prm.accounts.roles import Role
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, PartnerFactory, SaleRecordFactory, TierFactory, partner_member

from .factories import Q3_2026, FundFactory

D = Decimal
DAY = datetime.date(2026, 8, 3)  # inside Q3 2026


def test_the_beat_entries_are_daily_and_name_the_tasks():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["mdf-period-start"]["task"] == "mdf.tasks.lifecycle.funds_period_start_all_task"
    assert schedule["mdf-expiry"]["task"] == "mdf.tasks.lifecycle.mdf_expiry_sweep_all_task"
    assert schedule["mdf-reminders"]["task"] == "mdf.tasks.lifecycle.mdf_reminders_send_all_task"


@pytest.mark.django_db
def test_funds_in_their_period_allocate_once_and_one_over_budget_does_not_stop_the_others(tenant_a):
    with tenant_context(tenant_a):
        gold = TierFactory(program__tenant=tenant_a, mdf_allocation_per_quarter=D("2500.00"))
        partner = PartnerFactory(program=gold.program, tier=gold)
        partner_admin = partner_member(partner).user
        SaleRecordFactory(partner=partner, booked_on=datetime.date(2026, 5, 1), amount=D("1000.00"))
        manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user
        admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user
        # Made first, so it is handled first: it does not stop the others.
        small = FundFactory(**Q3_2026, tenant=tenant_a, name="Small", budget=D("2550.00"), coop_accrual_pct=D("10"))
        fund = FundFactory(**Q3_2026, tenant=tenant_a, name="Main", coop_accrual_pct=D("10"))
        later = FundFactory(tenant=tenant_a, starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 12, 31))
        ended = FundFactory(tenant=tenant_a, starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 6, 30))

        result = funds_period_start(today=DAY)

        assert result.allocated == {fund.pk: 2}
        assert result.over_budget == [small.pk]
        rows = Allocation.objects.filter(fund=fund).order_by("source").values_list("source", "amount")
        assert list(rows) == [("coop", D("100.00")), ("tier", D("2500.00"))]
        # The tier's 2,500 would fit the small fund, the co-op 100 on top would not: neither is made.
        assert not Allocation.objects.filter(fund__in=[small, later, ended]).exists()
        title = "MDF fund over budget: Small"
        told = Notification.objects.filter(title=title)
        assert sorted(told.values_list("user_id", flat=True)) == sorted([manager.pk, admin.pk])
        assert "would pass the fund's budget of 2550.00 USD, so none were made" in told.first().body
        assert not Notification.objects.filter(user=partner_admin).exists()

        # A rerun the same day adds nothing and tells no one again; the next day the managers hear of it again.
        again = funds_period_start(today=DAY)
        assert (again.allocated, again.over_budget) == ({fund.pk: 0}, [small.pk])
        assert Notification.objects.filter(title=title).count() == 2
        funds_period_start(today=DAY + datetime.timedelta(days=1))
        assert Notification.objects.filter(title=title).count() == 4
        assert Allocation.objects.filter(fund=fund).count() == 2
