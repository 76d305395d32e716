"""Which runs a day brings: a provisional run of every open period, a final run once a period's grace
days have passed (it closes the period)."""

from datetime import date, timedelta

from ..models import IncentiveProgram, IncentiveSettings, ProgramPeriod, Run
from ..selectors.programs import program_periods
from .runs import run_request


def incentive_settings() -> IncentiveSettings:
    settings, _created = IncentiveSettings.objects.get_or_create()
    return settings


def runs_schedule(*, today: date) -> list[Run]:
    grace = timedelta(days=incentive_settings().close_after_days)
    runs = []
    for program in IncentiveProgram.objects.filter(status__in=["active", "ended"]).order_by("pk"):
        closed = set(
            ProgramPeriod.objects.filter(program=program, status=ProgramPeriod.Status.CLOSED).values_list(
                "key", flat=True
            )
        )
        for period in program_periods(program, until=today):
            if period.key in closed:
                continue
            if period.ends_on + grace < today:
                runs.append(run_request(program=program, period_key=period.key, kind=Run.Kind.FINAL, as_of=today))
            elif program.status == IncentiveProgram.Status.ACTIVE:
                runs.append(run_request(program=program, period_key=period.key, kind=Run.Kind.PROVISIONAL, as_of=today))
    return runs
