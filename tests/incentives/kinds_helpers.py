"""Helpers shared by the per-kind run tests: a program of a kind, a run, the ledger as tuples."""

from datetime import date

from incentives.models import LedgerEntry, Run
from incentives.services import incentive_program_create, run_execute, run_request


def program_of(kind, params, *, starts_on=date(2026, 1, 1), **values):
    values = {
        "name": f"{kind} program",
        "kind": kind,
        "currency": "USD",
        "period_scheme": "quarter",
        "starts_on": starts_on,
        **values,
    }
    return incentive_program_create(actor=None, params=params, status="active", **values)


def run(program, period="2026-Q1"):
    requested = run_request(program=program, period_key=period, kind=Run.Kind.MANUAL)
    done = run_execute(run_id=requested.pk)
    assert done.status == Run.Status.SUCCEEDED, done.error
    return done


def user_lines(program, period=None):
    entries = LedgerEntry.objects.filter(program=program)
    if period:
        entries = entries.filter(period=period)
    return sorted((e.recipient_user_id, e.source, e.entry_type, e.amount) for e in entries.exclude(recipient_user=None))


def partner_lines(program, period=None):
    entries = LedgerEntry.objects.filter(program=program)
    if period:
        entries = entries.filter(period=period)
    return sorted(
        (e.recipient_partner_id, e.source, e.entry_type, e.amount) for e in entries.exclude(recipient_partner=None)
    )
