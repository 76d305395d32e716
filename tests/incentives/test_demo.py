"""The incentives demo data: a program of every kind with four closed quarters and an open one computed,
payouts and leaderboards; seeding again changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from incentives.models import (
    IncentiveProgram,
    IncentiveSettings,
    LeaderboardSnapshot,
    LedgerEntry,
    Payout,
    PayoutItem,
    ProgramPeriod,
    Run,
)
from incentives.periods import period_containing
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant


def _rows():
    return (
        sorted(IncentiveProgram.objects.values_list("slug", "kind", "status")),
        sorted(Run.objects.values_list("pk", "program__slug", "period", "kind", "status", "lines_posted")),
        sorted(LedgerEntry.objects.values_list("pk", "program__slug", "period", "partner_id", "amount")),
        sorted(ProgramPeriod.objects.values_list("program__slug", "key", "status")),
    )


def test_demo_incentives_have_every_kind_and_a_year_of_runs(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
        first = _rows()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "5 incentive programs" in out.getvalue()

    with tenant_context(acme):
        assert _rows() == first
        programs, runs, _entries, _periods = first
        assert {kind for _slug, kind, status in programs} == {
            "rebate", "spif", "points", "revenue_share", "registration_bonus",
        }  # fmt: skip
        assert {status for _slug, _kind, status in programs} == {"active"}

        open_quarter = period_containing(timezone.localdate(), "quarter")
        closed = [open_quarter.previous()]
        for _i in range(3):
            closed.insert(0, closed[0].previous())
        for program in IncentiveProgram.objects.all():
            assert program.starts_on == closed[0].starts_on
            program_runs = Run.objects.filter(program=program)
            assert LedgerEntry.objects.filter(program=program, entry_type="earning").exists(), program.kind
            assert sorted(program_runs.values_list("period", "kind", "status")) == [
                *((p.key, "final", "succeeded") for p in closed),
                (open_quarter.key, "provisional", "succeeded"),
            ]
            assert sorted(ProgramPeriod.objects.filter(program=program).values_list("key", "status")) == [
                *((p.key, "closed") for p in closed),
                (open_quarter.key, "open"),
            ]
        rebate = IncentiveProgram.objects.get(kind="rebate")
        lines = LedgerEntry.objects.filter(program=rebate, entry_type="earning")
        assert lines.filter(period=closed[-1].key).count() >= 3
        assert all(line.amount > 0 and line.currency == "USD" for line in lines)
        assert {line.period for line in lines} >= {p.key for p in closed}
        assert any(line.explanation["multiplier"] != "1" for line in lines)  # tier multipliers apply
        # The older closed quarters are paid, the last one approved, the open one still pending.
        assert set(Payout.objects.values_list("status", flat=True)) == {"paid", "approved"}
        # (MDF reimbursements, posted when the MDF demo approves claims, are paid apart: see tests/mdf/test_demo.py)
        open_items = PayoutItem.objects.filter(entry__period=open_quarter.key).exclude(
            entry__entry_type="reimbursement"
        )
        assert not open_items.exists()
        assert LeaderboardSnapshot.objects.filter(period=closed[-1].key, metric="revenue", scope="partner").exists()
        assert IncentiveSettings.objects.get().leaderboard_published
    with tenant_context(Tenant.objects.get(slug="globex")):
        assert LedgerEntry.objects.filter(program__kind="rebate", currency="EUR").exists()
