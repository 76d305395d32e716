"""Runs under stress: re-executed, requested twice, run twice at once, into a closed period, over budget,
after a partner lost eligibility, and as the daily schedule brings them."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from incentives.models import IncentiveSettings, LedgerEntry, ProgramPeriod, Run
from incentives.services import (
    RunBusy,
    incentive_program_create,
    rule_version_create,
    run_execute,
    run_request,
)
from incentives.services.runs import _scope_lock
from incentives.services.schedule import runs_schedule
from prm.errors import StateConflict
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, SaleRecordFactory

BANDS = [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}, {"from": "250000", "rate": "4"}]


def _program(**values):
    return incentive_program_create(
        actor=None,
        params={"bands": BANDS, "mode": "retroactive"},
        name=values.pop("name", "Volume rebate"),
        kind="rebate",
        currency="USD",
        period_scheme="quarter",
        starts_on=date(2026, 1, 1),
        status=values.pop("status", "active"),
        **values,
    )


def _partners_with_sales(tenant, amounts, booked_on=date(2026, 2, 1)):
    partners = []
    for amount in amounts:
        partner = PartnerFactory(program__tenant=tenant)
        SaleRecordFactory(partner=partner, amount=Decimal(amount), booked_on=booked_on)
        partners.append(partner)
    return partners


def _ledger(program):
    return sorted(
        (e.partner_id, e.entry_type, e.amount) for e in LedgerEntry.objects.filter(program=program).order_by("pk")
    )


@pytest.mark.django_db
def test_re_executing_a_succeeded_run_posts_nothing(tenant_a):
    with tenant_context(tenant_a):
        partners = _partners_with_sales(tenant_a, ["120000", "300000"])
        program = _program()
        run = run_execute(run_id=run_request(program=program, period_key="2026-Q1", kind="manual").pk)
        before = _ledger(program)
        assert before == [
            (partners[0].pk, "earning", Decimal("2400.00")),
            (partners[1].pk, "earning", Decimal("12000.00")),
        ]
        assert (run.status, run.lines_posted, run.amount_posted) == ("succeeded", 2, Decimal("14400.00"))

        again = run_execute(run_id=run.pk)
        again = run_execute(run_id=run.pk)

        assert _ledger(program) == before
        assert (again.status, again.lines_posted, again.amount_posted, again.attempts) == (
            "succeeded",
            2,
            Decimal("14400.00"),
            3,
        )


@pytest.mark.django_db
def test_a_scheduled_run_requested_twice_the_same_day_is_one_row(tenant_a):
    with tenant_context(tenant_a):
        program = _program()
        first = run_request(program=program, period_key="2026-Q1", kind="provisional", as_of=date(2026, 3, 2))
        second = run_request(program=program, period_key="2026-Q1", kind="provisional", as_of=date(2026, 3, 2))
        next_day = run_request(program=program, period_key="2026-Q1", kind="provisional", as_of=date(2026, 3, 3))
        manual = [run_request(program=program, period_key="2026-Q1", kind="manual") for _ in range(2)]
        assert first.pk == second.pk
        assert next_day.pk != first.pk
        assert manual[0].pk != manual[1].pk  # on-demand runs may repeat
        assert Run.objects.filter(program=program).count() == 4


def _in_thread(tenant, target, results, key):
    def body():
        try:
            with tenant_context(tenant):
                results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[key] = error
        finally:
            connection.close()

    return threading.Thread(target=body)


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_same_period_at_once_post_as_one(tenant_a):
    with tenant_context(tenant_a):
        _partners_with_sales(tenant_a, ["120000", "300000", "99000", "260000"])
        program = _program()
        runs = [run_request(program=program, period_key="2026-Q1", kind="manual") for _ in range(2)]
    barrier = threading.Barrier(2)
    results = {}

    def execute(run):
        def go():
            barrier.wait()
            return run_execute(run_id=run.pk)

        return go

    threads = [_in_thread(tenant_a, execute(run), results, run.pk) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with tenant_context(tenant_a):
        outcomes = [results[run.pk] for run in runs]
        assert all(isinstance(o, (Run, RunBusy)) for o in outcomes), outcomes
        entries = LedgerEntry.objects.filter(program=program)
        # Exactly one run posted; the other met the lock (RunBusy) or found nothing left to post.
        assert len(set(entries.values_list("run_id", flat=True))) == 1
        assert sorted(entries.values_list("amount", flat=True)) == [
            Decimal("2400.00"),
            Decimal("10400.00"),
            Decimal("12000.00"),
        ]
        posted = sorted(Run.objects.filter(pk__in=[r.pk for r in runs]).values_list("lines_posted", flat=True))
        assert posted == [0, 3]


@pytest.mark.django_db(transaction=True)
def test_a_run_meets_the_lock_of_a_run_in_progress(tenant_a):
    with tenant_context(tenant_a):
        _partners_with_sales(tenant_a, ["120000"])
        program = _program()
        holder, waiter = (run_request(program=program, period_key="2026-Q1", kind="manual") for _ in range(2))
        results = {}
        with _scope_lock(holder):  # this connection is "posting" the period
            thread = _in_thread(tenant_a, lambda: run_execute(run_id=waiter.pk), results, "waiter")
            thread.start()
            thread.join(timeout=60)
        assert isinstance(results["waiter"], RunBusy)
        assert not LedgerEntry.objects.filter(program=program).exists()

        done = run_execute(run_id=waiter.pk)  # the lock is free again: the retry posts
        assert (done.status, done.lines_posted) == ("succeeded", 1)


@pytest.mark.django_db
def test_a_final_run_closes_the_period_for_good(tenant_a):
    with tenant_context(tenant_a):
        (partner,) = _partners_with_sales(tenant_a, ["120000"])
        program = _program()
        provisional = run_request(program=program, period_key="2026-Q1", kind="provisional", as_of=date(2026, 4, 1))
        final = run_request(program=program, period_key="2026-Q1", kind="final", as_of=date(2026, 4, 10))
        assert run_execute(run_id=final.pk).status == "succeeded"
        period = ProgramPeriod.objects.get(program=program, key="2026-Q1")
        assert period.status == "closed" and period.closed_at is not None

        for kind in ("provisional", "manual", "final"):
            with pytest.raises(StateConflict):
                run_request(program=program, period_key="2026-Q1", kind=kind, as_of=date(2026, 4, 11))
        with pytest.raises(StateConflict):
            run_execute(run_id=provisional.pk)  # queued before the close, executed after it
        provisional.refresh_from_db()
        assert provisional.status == "failed"
        with pytest.raises(StateConflict):
            rule_version_create(
                program=program,
                actor=None,
                params={"bands": BANDS, "mode": "incremental"},
                effective_from=date(2026, 1, 1),
            )
        # A late sale changes nothing in the closed period; the next quarter is still open.
        SaleRecordFactory(partner=partner, amount=Decimal("200000"), booked_on=date(2026, 3, 30))
        assert run_execute(run_id=final.pk).lines_posted == 1
        assert _ledger(program) == [(partner.pk, "earning", Decimal("2400.00"))]
        rule_version_create(
            program=program, actor=None, params={"bands": BANDS, "mode": "incremental"}, effective_from=date(2026, 4, 1)
        )
        assert run_request(program=program, period_key="2026-Q2", kind="manual").rule_version.version == 2


@pytest.mark.django_db
def test_a_run_that_would_pass_the_budget_posts_nothing(tenant_a):
    with tenant_context(tenant_a):
        _partners_with_sales(tenant_a, ["120000", "300000"])  # 2,400 + 12,000
        program = _program(budget=Decimal("14000.00"))
        run = run_execute(run_id=run_request(program=program, period_key="2026-Q1", kind="manual").pk)
        assert run.status == "over_budget"
        assert "14000" in run.error and "14400" in run.error
        assert (run.lines_posted, run.finished_at is not None) == (0, True)
        assert not LedgerEntry.objects.filter(program=program).exists()

        program.budget = Decimal("14400.00")  # exactly the budget is allowed
        program.save()
        run = run_execute(run_id=run_request(program=program, period_key="2026-Q1", kind="manual").pk)
        assert (run.status, run.lines_posted) == ("succeeded", 2)


@pytest.mark.django_db
def test_a_partner_that_lost_eligibility_gets_its_provisional_line_reversed(tenant_a):
    with tenant_context(tenant_a):
        stays, leaves = _partners_with_sales(tenant_a, ["120000", "300000"])
        program = _program()
        first = run_request(program=program, period_key="2026-Q1", kind="provisional", as_of=date(2026, 3, 1))
        run_execute(run_id=first.pk)
        leaves.status = "suspended"
        leaves.save()

        second = run_request(program=program, period_key="2026-Q1", kind="provisional", as_of=date(2026, 3, 2))
        run_execute(run_id=second.pk)

        assert _ledger(program) == [
            (stays.pk, "earning", Decimal("2400.00")),
            (leaves.pk, "earning", Decimal("12000.00")),
            (leaves.pk, "true_up", Decimal("-12000.00")),
        ]
        reversal = LedgerEntry.objects.get(program=program, entry_type="true_up")
        assert (reversal.run_id, reversal.explanation["previously"], reversal.explanation["now"]) == (
            second.pk,
            "12000.00",
            "0",
        )


@pytest.mark.django_db
def test_the_daily_schedule(tenant_a):
    with tenant_context(tenant_a):
        (partner,) = _partners_with_sales(tenant_a, ["120000"])
        program = _program()
        _program(name="Draft rebate", status="draft", slug="draft-rebate")
        IncentiveSettings.objects.update_or_create(defaults={"close_after_days": 5})

        def scheduled(today):
            return sorted((run.period, run.kind) for run in runs_schedule(today=today))

        # 3 April: Q1 is within its 5 grace days, so both periods get a provisional run.
        assert scheduled(date(2026, 4, 3)) == [("2026-Q1", "provisional"), ("2026-Q2", "provisional")]
        assert scheduled(date(2026, 4, 3)) == [("2026-Q1", "provisional"), ("2026-Q2", "provisional")]
        assert Run.objects.filter(program=program).count() == 2
        # 5 April is the last grace day; on the 6th Q1 gets its final run.
        assert ("2026-Q1", "provisional") in scheduled(date(2026, 4, 5))
        runs = runs_schedule(today=date(2026, 4, 6))
        assert sorted((run.period, run.kind) for run in runs) == [("2026-Q1", "final"), ("2026-Q2", "provisional")]
        for run in runs:
            run_execute(run_id=run.pk)
        assert ProgramPeriod.objects.get(program=program, key="2026-Q1").status == "closed"
        # Closed periods are no longer scheduled.
        assert scheduled(date(2026, 4, 7)) == [("2026-Q2", "provisional")]
        assert _ledger(program) == [(partner.pk, "earning", Decimal("2400.00"))]
        # An ended program gets its remaining final runs but no more provisional ones.
        program.status = "ended"
        program.save()
        assert scheduled(date(2026, 4, 8)) == []
        assert scheduled(date(2026, 7, 6)) == [("2026-Q2", "final")]


@pytest.mark.django_db
def test_a_single_band_program_runs(tenant_a):
    with tenant_context(tenant_a):
        (partner,) = _partners_with_sales(tenant_a, ["1000.50"])
        program = incentive_program_create(
            actor=None,
            params={"bands": [{"from": "0", "rate": "1.5"}]},
            name="Flat rebate",
            kind="rebate",
            currency="USD",
            period_scheme="quarter",
            starts_on=date(2026, 1, 1),
            status="active",
        )
        run_execute(run_id=run_request(program=program, period_key="2026-Q1", kind="manual").pk)
        # 1,000.50 x 1.5% = 15.0075 → 15.01
        assert _ledger(program) == [(partner.pk, "earning", Decimal("15.01"))]
        assert LedgerEntry.objects.get(program=program).explanation["rate"] == "1.5"


@pytest.mark.django_db
def test_rebate_targets_read_the_same_with_or_without_the_prepared_volume(tenant_a):
    from incentives.computation import PREPARE, TARGETS
    from incentives.periods import parse_period
    from incentives.services.runs import _context

    with tenant_context(tenant_a):
        partners = _partners_with_sales(tenant_a, ["120000", "99999.99", "250000"])
        SaleRecordFactory(partner=partners[0], amount=Decimal("5"), booked_on=date(2026, 4, 1))  # Q2: not read
        program = _program()
        run = run_request(program=program, period_key="2026-Q1", kind="manual")
        period, ids = parse_period("2026-Q1"), sorted(p.pk for p in partners)

        def rows(prepared):
            ctx = _context(run, program, period, ids, set(ids), prepared)
            sql, params = TARGETS["rebate"](ctx)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT partner_id, amount, explanation FROM ({sql}) t ORDER BY 1", params)
                return cursor.fetchall()

        inline = rows(False)
        tables = PREPARE["rebate"](_context(run, program, period, ids, set(ids)))
        assert rows(True) == inline
        assert [(pk, amount) for pk, amount, _e in inline] == [
            (partners[0].pk, Decimal("2400.00")),
            (partners[1].pk, Decimal("0.00")),
            (partners[2].pk, Decimal("10000.00")),
        ]
        assert tables == ["pg_temp.incentives_rebate_volume"]
