"""Runs: request one (scheduled or on demand) and execute it, chunk by chunk, into the ledger."""

import zlib
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import DomainError, StateConflict
from prm.tenancy.context import current_tenant

from ..computation import PREPARE, TARGETS, RunContext
from ..computation.engine import chunk_post, pending_delta_total
from ..models import IncentiveProgram, LedgerEntry, ProgramPeriod, Run
from ..periods import Period, parse_period
from ..selectors.programs import rule_version_for, run_partners

_after_run_hooks = []


def register_after_run(hook) -> None:
    """Call `hook(run=run)` after every successful run (leaderboards refresh their snapshots)."""
    _after_run_hooks.append(hook)


class RunBusy(DomainError):
    """Another run of the same program and period is posting now."""

    code = "run_in_progress"
    status = 409


def _period_row(program: IncentiveProgram, period: Period) -> ProgramPeriod:
    row, _created = ProgramPeriod.objects.get_or_create(
        program=program, key=period.key, defaults={"starts_on": period.starts_on, "ends_on": period.ends_on}
    )
    return row


def _checked_period(program: IncentiveProgram, period_key: str) -> Period:
    try:
        period = parse_period(period_key, program.period_scheme)
    except ValueError as error:
        raise DomainError(str(error), fields={"period": [str(error)]}) from error
    if period.ends_on < program.starts_on or (program.ends_on and period.starts_on > program.ends_on):
        raise DomainError(
            _("%(period)s is outside the program's dates.") % {"period": period.key},
            fields={"period": [_("Outside the program's dates.")]},
        )
    return period


@transaction.atomic
def run_request(*, program: IncentiveProgram, period_key: str, kind: str, actor=None, as_of=None) -> Run:
    """Create the run (a scheduled one once per day: asking again returns it) and queue its execution."""
    period = _checked_period(program, period_key)
    if program.status == IncentiveProgram.Status.DRAFT:
        raise StateConflict(_("A draft program does not run; activate it first."), current_state=program.status)
    if _period_row(program, period).status == ProgramPeriod.Status.CLOSED:
        raise StateConflict(_("%(period)s is closed.") % {"period": period.key}, current_state="closed")
    rule = rule_version_for(program, period)
    if rule is None:
        raise StateConflict(_("No rules are in effect for %(period)s.") % {"period": period.key})
    now = timezone.now()
    values = {
        "program": program,
        "rule_version": rule,
        "period": period.key,
        "kind": kind,
        "as_of": as_of or now.date(),
    }
    if kind != Run.Kind.MANUAL:
        existing = Run.objects.filter(**values).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            run = Run.objects.create(**values, cutoff=now, requested_by=actor)
    except IntegrityError:  # a concurrent request created the same scheduled run
        return Run.objects.get(**values)
    if actor is not None:
        audit_record(action="incentives.run_request", actor=actor, obj=program, context={"period": period.key})
    from ..tasks import run_execute_task

    run_execute_task.delay_on_commit(tenant_id=current_tenant().pk, run_id=run.pk)
    return run


@contextmanager
def _scope_lock(run: Run):
    """A session-level advisory lock on (tenant, program, period), held across the run's transactions.
    A killed worker's connection closes, and PostgreSQL releases the lock with it."""
    key = zlib.crc32(f"incentives:{run.tenant_id}:{run.program_id}:{run.period}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [7301, key - 2**31])
        if not cursor.fetchone()[0]:
            raise RunBusy(_("Another run of this program and period is posting; try again shortly."))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [7301, key - 2**31])


def _context(
    run: Run, program: IncentiveProgram, period: Period, partner_ids: list[int], eligible: set[int], prepared=False
) -> RunContext:
    return RunContext(
        tenant_id=run.tenant_id,
        run_id=run.pk,
        program_id=program.pk,
        rule_version_id=run.rule_version_id,
        rule_version=run.rule_version.version,
        params=run.rule_version.params,
        award_to=program.award_to,
        unit=program.unit,
        currency=program.currency,
        period=period,
        window_starts_on=program.starts_on,
        window_ends_on=program.ends_on,
        cutoff=run.cutoff,
        as_of=run.as_of,
        partner_ids=partner_ids,
        eligible_ids=[pk for pk in partner_ids if pk in eligible],
        prepared=prepared,
    )


@contextmanager
def _prepared(program: IncentiveProgram, ctx: RunContext):
    """The kind's PREPARE step for the whole run (if it has one); its session tables are dropped after."""
    prepare = PREPARE.get(program.kind)
    tables = prepare(ctx) if prepare else []
    try:
        yield bool(prepare)
    finally:
        if tables:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}")
            except DatabaseError:  # an aborted transaction: the tables go with the session
                pass


def _chunks(ids: list[int]) -> list[list[int]]:
    """Partners in chunks of settings.INCENTIVES_RUN_CHUNK_SIZE, each posted in its own transaction."""
    size = settings.INCENTIVES_RUN_CHUNK_SIZE
    return [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]


def _set_status(run: Run, status: str, **values) -> None:
    Run.objects.filter(pk=run.pk).update(status=status, **values)


def _over_budget(program: IncentiveProgram, contexts, targets) -> tuple[Decimal, Decimal] | None:
    if program.budget is None:
        return None
    share = program.channel_manager_share_pct
    adding = sum((pending_delta_total(ctx, targets(ctx), share_pct=share) for ctx in contexts), Decimal(0))
    spent = LedgerEntry.objects.filter(program=program).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return (spent, adding) if spent + adding > program.budget else None


def run_execute(*, run_id: int) -> Run:
    """Execute a run. Safe to call again at any point (after a crash, twice at once, after success)."""
    run = Run.objects.select_related("program", "rule_version").get(pk=run_id)
    program = run.program
    period = parse_period(run.period, program.period_scheme)
    period_row = _period_row(program, period)
    if period_row.status == ProgramPeriod.Status.CLOSED and run.kind != Run.Kind.FINAL:
        _set_status(run, Run.Status.FAILED, error=_("The period is closed."), finished_at=timezone.now())
        raise StateConflict(_("%(period)s is closed.") % {"period": period.key}, current_state="closed")
    with _scope_lock(run):
        started = timezone.now()
        _set_status(run, Run.Status.RUNNING, started_at=started, attempts=F("attempts") + 1, chunks_done=0, error="")
        targets = TARGETS[program.kind]
        eligible, covered = run_partners(program, period.key)
        chunks = _chunks(covered)
        Run.objects.filter(pk=run.pk).update(chunks_total=len(chunks))
        whole = _context(run, program, period, [pk for chunk in chunks for pk in chunk], eligible)
        try:
            with _prepared(program, whole) as prepared:
                contexts = [_context(run, program, period, chunk, eligible, prepared) for chunk in chunks]
                excess = _post(run, program, period, period_row, contexts, targets)
            if excess is not None:
                spent, adding = excess
                message = _("Posting %(adding)s would take the program to %(total)s, over its budget of %(budget)s.")
                _set_status(
                    run,
                    Run.Status.OVER_BUDGET,
                    finished_at=timezone.now(),
                    error=message % {"adding": adding, "total": spent + adding, "budget": program.budget},
                )
        except Exception as error:
            _set_status(run, Run.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000])
            raise
    run.refresh_from_db()
    if run.status == Run.Status.SUCCEEDED:
        for hook in _after_run_hooks:
            hook(run=run)
    return run


def _post(run: Run, program: IncentiveProgram, period: Period, period_row, contexts, targets):
    """The budget check, then the chunks (one transaction each), then success (a final run closes the period).
    Returns (spent, adding) instead, having posted nothing, when the run would pass the budget."""
    with transaction.atomic():
        excess = _over_budget(program, contexts, targets)
    if excess is not None:
        return excess
    for ctx in contexts:
        with transaction.atomic():
            count, total = chunk_post(ctx, targets(ctx), share_pct=program.channel_manager_share_pct)
            Run.objects.filter(pk=run.pk).update(
                chunks_done=F("chunks_done") + 1,
                lines_posted=F("lines_posted") + count,
                amount_posted=F("amount_posted") + total,
            )
    with transaction.atomic():
        recipients = (
            LedgerEntry.objects.filter(program=program, period=period.key)
            .values("recipient_partner", "recipient_user")
            .distinct()
            .count()
        )
        _set_status(run, Run.Status.SUCCEEDED, finished_at=timezone.now(), recipients=recipients)
        if run.kind == Run.Kind.FINAL and period_row.status != ProgramPeriod.Status.CLOSED:
            ProgramPeriod.objects.filter(pk=period_row.pk).update(
                status=ProgramPeriod.Status.CLOSED, closed_at=timezone.now()
            )
    return None
