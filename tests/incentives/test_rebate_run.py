"""A rebate run over real sale records, hand-computed: bands, multiplier, true-ups, reruns."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import LedgerEntry, Run
from incentives.services import incentive_program_create, run_execute, run_request
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, SaleRecordFactory, TierFactory

BANDS = {"bands": [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}, {"from": "250000", "rate": "4"}]}


def _program(mode="retroactive", **params):
    return incentive_program_create(
        actor=None,
        params={**BANDS, "mode": mode, **params},
        name=f"Volume rebate ({mode})",
        kind="rebate",
        currency="USD",
        period_scheme="quarter",
        starts_on=date(2026, 1, 1),
        status="active",
    )


def _run(program, period="2026-Q1", kind=Run.Kind.MANUAL):
    run = run_request(program=program, period_key=period, kind=kind)
    return run_execute(run_id=run.pk)


def _amounts(program):
    return sorted((e.recipient_partner_id, e.entry_type, e.amount) for e in LedgerEntry.objects.filter(program=program))


@pytest.mark.django_db
def test_retroactive_and_incremental_bands_with_multiplier(tenant_a):
    with tenant_context(tenant_a):
        gold = TierFactory(program__tenant=tenant_a, rebate_multiplier=Decimal("1.50"))
        big = PartnerFactory(program=gold.program, tier=gold)
        small = PartnerFactory(program=gold.program)
        SaleRecordFactory(partner=big, amount=Decimal("200000.00"), booked_on=date(2026, 2, 1))
        SaleRecordFactory(partner=big, amount=Decimal("60000.00"), booked_on=date(2026, 3, 31))
        SaleRecordFactory(partner=small, amount=Decimal("99999.99"), booked_on=date(2026, 1, 5))
        SaleRecordFactory(partner=small, amount=Decimal("5000.00"), booked_on=date(2026, 4, 1))  # next quarter
        retro, incr = _program(), _program("incremental")

        run = _run(retro)
        _run(incr)

        assert run.status == Run.Status.SUCCEEDED
        # 260,000 reached the 4% band: 10,400 x 1.5. Small stays below 100k: nothing.
        assert _amounts(retro) == [(big.pk, "earning", Decimal("15600.00"))]
        # 150,000 x 2% + 10,000 x 4% = 3,400 x 1.5
        assert _amounts(incr) == [(big.pk, "earning", Decimal("5100.00"))]


@pytest.mark.django_db
def test_rerun_posts_nothing_and_a_late_sale_is_a_true_up(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        SaleRecordFactory(partner=partner, amount=Decimal("120000.00"), booked_on=date(2026, 2, 1))
        program = _program()
        first = _run(program)
        run_execute(run_id=first.pk)  # re-executed: same inputs, nothing new
        assert _amounts(program) == [(partner.pk, "earning", Decimal("2400.00"))]

        SaleRecordFactory(partner=partner, amount=Decimal("140000.00"), booked_on=date(2026, 3, 1))
        run_execute(run_id=first.pk)  # the late sale came after the first run's cutoff
        assert LedgerEntry.objects.filter(program=program).count() == 1
        _run(program)

        # 260,000 at 4% = 10,400, of which 2,400 was posted: a true-up of 8,000.
        assert _amounts(program) == [
            (partner.pk, "earning", Decimal("2400.00")),
            (partner.pk, "true_up", Decimal("8000.00")),
        ]
        true_up = LedgerEntry.objects.get(program=program, entry_type="true_up")
        assert true_up.explanation["previously"] == "2400.00"
        assert true_up.explanation["now"] == "10400.00"
        assert true_up.explanation["rate"] == "4"


@pytest.mark.django_db
def test_lines_of_an_open_period_are_dated_on_the_run_day(tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        SaleRecordFactory(partner=partner, amount=Decimal("120000.00"), booked_on=date(2026, 2, 1))
        program = _program()
        provisional = run_request(
            program=program, period_key="2026-Q1", kind=Run.Kind.PROVISIONAL, as_of=date(2026, 2, 15)
        )
        run_execute(run_id=provisional.pk)

        # A line is dated when it was earned: the run's day while the period runs (never after it).
        assert list(LedgerEntry.objects.filter(program=program).values_list("occurred_on", flat=True)) == [
            date(2026, 2, 15)
        ]
