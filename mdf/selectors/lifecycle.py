"""What the daily MDF sweeps act on: funds in their period, allocations of expired funds, deadlines ahead."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce

from prm.audit.models import AuditEvent

from ..models import (
    APPROVED_REQUEST_STATUSES,
    OPEN_CLAIM_STATUSES,
    Allocation,
    Fund,
    MdfRequest,
)

OVER_BUDGET_ACTION = "mdf.fund_over_budget"


def _expires_on(prefix: str = ""):
    """A fund's `expires_on` in SQL (date + integer days)."""
    return ExpressionWrapper(F(f"{prefix}ends_on") + F(f"{prefix}expiry_days_after_end"), output_field=DateField())


def funds_in_period(*, today: datetime.date) -> QuerySet[Fund]:
    """Funds whose period has started and not ended, that allocate at the period start (by tier or co-op)."""
    return (
        Fund.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .filter(Q(allocate_by_tier=True) | Q(coop_accrual_pct__gt=0))
        .order_by("pk")
    )


def over_budget_told(*, fund: Fund, day: datetime.date) -> bool:
    """Whether the managers were told on `day` that the fund's period-start allocations do not fit its budget."""
    return AuditEvent.objects.filter(
        action=OVER_BUDGET_ACTION,
        content_type=ContentType.objects.get_for_model(Fund),
        object_id=str(fund.pk),
        context__day=day.isoformat(),
    ).exists()


def allocations_to_expire(*, today: datetime.date) -> QuerySet[Allocation]:
    """Allocations of funds that expired on or before `today` with some of their amount not expired yet (what
    is left once their requests' holds are counted is what expires)."""
    return (
        Allocation.objects.annotate(fund_expires_on=_expires_on("fund__"))
        .filter(fund_expires_on__lte=today, amount__gt=F("expired_amount"))
        .order_by("pk")
    )


def funds_expiring(*, today: datetime.date) -> QuerySet[Fund]:
    """Funds that have not expired yet, with `expires_on_sql` (the reminders pick those within a lead time)."""
    return Fund.objects.annotate(expires_on_sql=_expires_on()).filter(expires_on_sql__gt=today).order_by("pk")


def default_claim_due() -> ExpressionWrapper:
    """`mdf.rules.claim_due` in SQL, over a request: its activity's end plus its fund's claim window."""
    return ExpressionWrapper(F("ends_on") + F("allocation__fund__claim_window_days"), output_field=DateField())


def _unclaimed_approved() -> QuerySet[MdfRequest]:
    """Approved requests with no submitted claim, with `claim_due`: the draft or returned claim's `due_on`, else
    the end of the activity plus the fund's claim window."""
    due = Coalesce(F("claims__due_on"), default_claim_due())
    return (
        MdfRequest.objects.filter(status__in=APPROVED_REQUEST_STATUSES)
        .filter(Q(claims__isnull=True) | Q(claims__status__in=OPEN_CLAIM_STATUSES))
        .annotate(claim_due=due)
    )


def claims_due(*, today: datetime.date, within_days: int) -> list[tuple[int, datetime.date, list[int]]]:
    """(request id, claim due date, the fund's reminder days) of approved requests with no submitted claim whose
    claim is due from `today` to `within_days` later."""
    return list(
        _unclaimed_approved()
        .filter(claim_due__gte=today, claim_due__lte=today + datetime.timedelta(days=within_days))
        .order_by("pk")
        .values_list("pk", "claim_due", "allocation__fund__reminder_days")
    )


def requests_lapsing(*, today: datetime.date) -> QuerySet[MdfRequest]:
    """Approved requests whose claim was due before `today` and not submitted (they lapse), with `claim_due`."""
    return _unclaimed_approved().filter(claim_due__lt=today).order_by("pk")
