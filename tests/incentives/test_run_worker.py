"""Runs through a real Celery worker in a separate process: SIGKILLed in the middle of a run and started
again, it ends with the same ledger as an uninterrupted run; and the daily schedule end to end.

The worker is `celery -A prm worker` on the test settings, database and Redis DB, with one partner per
chunk (PRM_INCENTIVES_RUN_CHUNK_SIZE=1) and a visibility timeout of a few seconds
(PRM_TEST_VISIBILITY_TIMEOUT): a whole worker killed with SIGKILL never acknowledges its task, and the
Redis transport hands an unacknowledged task out again only once it is older than the visibility
timeout (two hours in production, see docs/incentives/runs.md).
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction

from incentives.models import LedgerEntry, ProgramPeriod, Run
from incentives.services import incentive_program_create, run_execute, run_request
from incentives.tasks import runs_schedule_task
from prm.celery import app
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, SaleRecordFactory

BANDS = [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}, {"from": "250000", "rate": "4"}]
VISIBILITY_TIMEOUT = 3


class Worker:
    """A `celery worker` process of its own, on the test queue."""

    def __init__(self, log_dir):
        self.log_path = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "prm.settings.test",
            "PRM_INCENTIVES_RUN_CHUNK_SIZE": "1",
            "PRM_TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "prm", "worker", "--pool", "solo", "--loglevel", "INFO"),
            *("-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "-n", f"inc-test-{uuid.uuid4().hex[:8]}@%h"),
            *("--without-heartbeat", "--without-mingle", "--without-gossip"),
        ]
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def kill(self):
        self.process.kill()  # SIGKILL: no shutdown, no acknowledgement, no cleanup
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if not self.log.closed:
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def workers(transactional_db, tmp_path):
    # Tasks left in the test queue, or unacknowledged by a worker killed in an earlier session, would run
    # against this session's rows (the test database starts its ids at 1 again).
    app.control.purge()
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("unacked", "unacked_index")
    started = []

    def start():
        worker = Worker(tmp_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, timeout: float, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    logs = "\n".join(worker.output()[-3000:] for worker in workers)
    raise AssertionError(f"the worker did not get there in time\n{logs}")


REVENUES = ["120000", "260000", "99999.99", "100000", "300000.25", "150000", "249999.99", "410000"]


def _program(name, mode="retroactive"):
    return incentive_program_create(
        actor=None,
        params={"bands": BANDS, "mode": mode},
        name=name,
        kind="rebate",
        currency="USD",
        period_scheme="quarter",
        starts_on=date(2026, 1, 1),
        status="active",
    )


def _per_partner(program):
    rows = LedgerEntry.objects.filter(program=program).values_list("partner_id", "amount")
    ledger = {}
    for partner_id, amount in rows:
        ledger.setdefault(partner_id, []).append(amount)
    return {partner: sorted(amounts) for partner, amounts in ledger.items()}


def _run_state(tenant, run_pk):
    with tenant_context(tenant):
        return Run.objects.values("status", "chunks_done", "chunks_total", "attempts").get(pk=run_pk)


def test_a_worker_killed_mid_run_ends_with_the_ledger_of_an_uninterrupted_run(workers, tenant_a):
    with tenant_context(tenant_a):
        partners = []
        for revenue in REVENUES:
            partner = PartnerFactory(program__tenant=tenant_a)
            SaleRecordFactory(partner=partner, amount=Decimal(revenue), booked_on=date(2026, 2, 10))
            SaleRecordFactory(partner=partner, amount=Decimal("0.01"), booked_on=date(2026, 4, 1))  # Q2
            partners.append(partner)
        reference, killed = _program("Reference rebate"), _program("Killed rebate")
        run_execute(run_id=run_request(program=reference, period_key="2026-Q1", kind="manual").pk)
        # Queued now (no worker is up yet); its 4th chunk will find its line's key taken by an open
        # transaction of this test, so the worker stops there, mid-run, until it is killed.
        run = run_request(program=killed, period_key="2026-Q1", kind="manual")
        blocked = sorted(partners, key=lambda p: p.pk)[3]

    first = None
    with transaction.atomic(), tenant_context(tenant_a):
        LedgerEntry.objects.create(
            program=killed,
            partner=blocked,
            recipient_partner=blocked,
            unit="money",
            currency="USD",
            amount=Decimal("1.00"),
            entry_type="earning",
            source="volume",
            idempotency_key=f"run:{run.pk}:p{blocked.pk}:volume",
            occurred_on=date(2026, 3, 31),
        )
        first = workers()
        state = wait_for(
            lambda: (s := _run_state(tenant_a, run.pk))["chunks_done"] == 3 and s, timeout=60, workers=[first]
        )
        assert state["status"] == "running" and state["chunks_total"] == len(REVENUES)
        time.sleep(0.5)  # the worker is waiting on the blocked key: it cannot move on
        assert _run_state(tenant_a, run.pk)["chunks_done"] == 3
        first.kill()
        transaction.set_rollback(True)  # the key is free again; the dead worker's chunk never commits

    with tenant_context(tenant_a):
        # The three finished chunks survive (the third partner, at 99,999.99, earns nothing).
        assert LedgerEntry.objects.filter(program=killed).count() == 2
        assert Run.objects.get(pk=run.pk).status == "running"

    second = workers()
    wait_for(lambda: _run_state(tenant_a, run.pk)["status"] == "succeeded", timeout=90, workers=[first, second])

    with tenant_context(tenant_a):
        done = Run.objects.get(pk=run.pk)
        assert done.attempts >= 2  # the killed attempt, then the redelivered one
        assert (done.chunks_done, done.chunks_total, done.lines_posted) == (8, 8, 7)
        expected = _per_partner(reference)
        assert _per_partner(killed) == expected
        assert len(expected) == 7 and all(len(lines) == 1 for lines in expected.values())  # 99,999.99 earns 0
        assert sum(sum(lines) for lines in expected.values()) == Decimal("51200.01")
        assert set(LedgerEntry.objects.filter(program=killed).values_list("run_id", flat=True)) == {run.pk}
        assert set(LedgerEntry.objects.filter(program=killed).values_list("entry_type", flat=True)) == {"earning"}


def test_the_daily_schedule_through_the_worker(workers, tenant_a):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        SaleRecordFactory(partner=partner, amount=Decimal("120000"), booked_on=date(2026, 3, 1))
        SaleRecordFactory(partner=partner, amount=Decimal("300000"), booked_on=date(2026, 4, 2))
        program = _program("Scheduled rebate", mode="incremental")
    worker = workers()

    runs_schedule_task.delay(tenant_id=tenant_a.pk, today="2026-04-06")

    def finished():
        with tenant_context(tenant_a):
            runs = list(Run.objects.filter(program=program).values_list("period", "kind", "status"))
        return len(runs) == 2 and all(status == "succeeded" for _p, _k, status in runs) and runs

    assert sorted(wait_for(finished, timeout=60, workers=[worker])) == [
        ("2026-Q1", "final", "succeeded"),
        ("2026-Q2", "provisional", "succeeded"),
    ]
    with tenant_context(tenant_a):
        assert sorted(LedgerEntry.objects.filter(program=program).values_list("period", "amount")) == [
            ("2026-Q1", Decimal("400.00")),  # incremental: 20,000 x 2%
            ("2026-Q2", Decimal("5000.00")),  # 150,000 x 2% + 50,000 x 4%
        ]
        assert ProgramPeriod.objects.get(program=program, key="2026-Q1").status == "closed"

    runs_schedule_task.delay(tenant_id=tenant_a.pk, today="2026-04-06")  # the same day again: the same runs
    runs_schedule_task.delay(tenant_id=tenant_a.pk, today="2026-04-07")  # a new day: a new provisional run

    def third_run():
        with tenant_context(tenant_a):
            runs = Run.objects.filter(program=program)
            return runs.count() == 3 and not runs.exclude(status="succeeded").exists()

    wait_for(third_run, timeout=60, workers=[worker])
    with tenant_context(tenant_a):
        assert LedgerEntry.objects.filter(program=program).count() == 2
        assert Run.objects.get(program=program, as_of=date(2026, 4, 7)).kind == "provisional"
