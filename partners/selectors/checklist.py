"""Onboarding status of one partner and of everyone in onboarding: progress, pace, what is next."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, QuerySet
from django.utils import timezone

from ..models import OnboardingStep, Partner, PartnerStatus
from ..rules import (
    onboarding_days,
    onboarding_days_left,
    onboarding_is_stalled,
    onboarding_progress,
    onboarding_risk,
)
from ..step_kinds import step_kind_get
from .onboarding import onboarding_steps_of, with_onboarding_progress


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def step_is_manual(step: OnboardingStep) -> bool:
    """Ticked off by a channel manager (a kind registered as manual); other kinds complete from events."""
    try:
        return step_kind_get(step.kind).manual
    except KeyError:
        return False


@dataclass
class OnboardingPace:
    """Progress and days against the program's target, as both sides see them."""

    progress: int
    required_total: int
    required_done: int
    days: int
    target_days: int
    last_activity_on: date
    is_onboarding: bool
    today: date

    @property
    def days_left(self) -> int:
        return onboarding_days_left(days=self.days, target_days=self.target_days)

    @property
    def days_over(self) -> int:
        return max(-self.days_left, 0)

    @property
    def over_target(self) -> bool:
        return self.is_onboarding and self.days_left < 0

    @property
    def stalled(self) -> bool:
        return self.is_onboarding and onboarding_is_stalled(last_activity_on=self.last_activity_on, today=self.today)

    @property
    def risk(self) -> tuple:
        return onboarding_risk(
            progress=self.progress, days=self.days, target_days=self.target_days, stalled=self.stalled
        )


def _pace(partner: Partner, *, required_total: int, required_done: int, last_done, today: date) -> OnboardingPace:
    joined_on = _day(partner.joined_at or partner.created_at)
    return OnboardingPace(
        progress=onboarding_progress(required_total=required_total, required_done=required_done),
        required_total=required_total,
        required_done=required_done,
        days=onboarding_days(joined_on=joined_on, today=today, onboarded_on=_day(partner.onboarded_at)),
        target_days=partner.program.onboarding_target_days,
        last_activity_on=max(filter(None, [joined_on, _day(last_done)])),
        is_onboarding=partner.status == PartnerStatus.ONBOARDING,
        today=today,
    )


@dataclass
class OnboardingStatus:
    partner: Partner
    steps: list[OnboardingStep]
    pace: OnboardingPace

    @property
    def next_step(self) -> OnboardingStep | None:
        open_steps = [step for step in self.steps if not step.is_done]
        required = [step for step in open_steps if step.is_required]
        return (required or open_steps or [None])[0]

    @property
    def open_steps(self) -> list[OnboardingStep]:
        return [step for step in self.steps if not step.is_done]


def onboarding_status_of(partner: Partner, *, today: date | None = None) -> OnboardingStatus:
    """`partner` (with its program loaded) and its checklist: two queries at most."""
    today = today or timezone.localdate()
    steps = list(onboarding_steps_of(partner))
    for step in steps:
        step.is_manual = step_is_manual(step)
    required = [step for step in steps if step.is_required]
    last_done = max((step.completed_at for step in steps if step.completed_at), default=None)
    pace = _pace(
        partner,
        required_total=len(required),
        required_done=sum(1 for step in required if step.is_done),
        last_done=last_done,
        today=today,
    )
    return OnboardingStatus(partner=partner, steps=steps, pace=pace)


def with_onboarding_pace(partners: QuerySet) -> QuerySet:
    """Progress counts plus the last completion, all in the partners' one query."""
    return with_onboarding_progress(partners).annotate(last_step_done_at=Max("onboarding_steps__completed_at"))


def onboarding_in_progress(*, today: date | None = None, partners: QuerySet | None = None) -> list[Partner]:
    """Partners in onboarding, riskiest first (over target, then stalled), each with `.pace`. One query."""
    today = today or timezone.localdate()
    queryset = partners if partners is not None else Partner.objects.all()
    rows = list(
        with_onboarding_pace(queryset.filter(status=PartnerStatus.ONBOARDING)).select_related(
            "program", "channel_manager"
        )
    )
    for partner in rows:
        partner.pace = _pace(
            partner,
            required_total=partner.required_steps,
            required_done=partner.required_done,
            last_done=partner.last_step_done_at,
            today=today,
        )
    return sorted(rows, key=lambda partner: (partner.pace.risk, partner.name))
