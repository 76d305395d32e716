from dataclasses import dataclass
from datetime import date, datetime

from ..periods import Period


@dataclass(frozen=True)
class RunContext:
    """What a kind's target query needs: one program, one period, one chunk of partners, one cutoff."""

    tenant_id: int
    run_id: int
    program_id: int
    rule_version_id: int
    rule_version: int
    params: dict
    award_to: str  # "partner" or "rep"
    unit: str  # "money" or "points"
    currency: str
    period: Period
    window_starts_on: object  # the program's first day
    window_ends_on: object  # the program's last day (None: open-ended)
    cutoff: datetime  # inputs recorded after this belong to a later run
    partner_ids: list[int]  # this chunk
    # The chunk's partners still eligible today (None: all of them). The others keep only what they were
    # posted, and the run reverses it: their target is zero.
    eligible_ids: list[int] | None = None
    # True when the kind's PREPARE step ran for the whole run on this connection (its session tables exist).
    prepared: bool = False
    as_of: date | None = None  # the run's day: no line is dated after it

    @property
    def first_day(self):
        """The period's first day inside the program's window."""
        return max(self.period.starts_on, self.window_starts_on)

    @property
    def last_day(self):
        """The period's last day inside the program's window."""
        if self.window_ends_on is None:
            return self.period.ends_on
        return min(self.period.ends_on, self.window_ends_on)
