"""The partners app's own tier metrics: the ones whose data exists here (registered in `PartnersConfig.ready()`).

Each `compute(partners, *, as_of=None)` runs ONE query for the whole queryset (an annotation grouped by
partner), whatever the number of partners.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DateField, Func, IntegerField, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prm.accounts.roles import Role

from .metrics import Metric, Unit
from .models import PartnerStatus
from .selectors import with_onboarding_progress

DAYS_SINCE_JOINING = "days_since_joining"
ONBOARDING_COMPLETE = "onboarding_complete"
ACTIVE_REPS = "active_reps"
ACTIVE_USERS = "active_users"


class DaysBetween(Func):
    """Whole days from the date `start` to the date `end`, never negative (NULL when `start` is NULL)."""

    template = "GREATEST(%(expressions)s, 0)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)


def _values(partners, annotation) -> dict[int, Decimal]:
    rows = partners.order_by().annotate(metric_value=annotation).values_list("pk", "metric_value")
    return {pk: Decimal(value) for pk, value in rows if value is not None}


def days_since_joining(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Days from the joining date (in the current time zone) to `as_of`; 0 before joining, absent if never joined."""
    as_of = as_of or timezone.localdate()
    return _values(partners, DaysBetween(Value(as_of, output_field=DateField()), TruncDate("joined_at")))


def onboarding_complete(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """1 when every required onboarding step is done (or the partner is active and was onboarded), else 0."""
    annotated = with_onboarding_progress(partners.order_by())
    complete = Case(
        When(Q(status=PartnerStatus.ACTIVE, onboarded_at__isnull=False) | Q(onboarding_progress=100), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = annotated.annotate(metric_value=complete).values_list("pk", "metric_value")
    return {pk: Decimal(value) for pk, value in rows}


def _active_people(partners, roles) -> dict[int, Decimal]:
    active = Q(people__membership__is_active=True, people__membership__role__in=roles)
    return _values(partners, Count("people", filter=active))


def active_reps(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Active partner-rep memberships of the partner (its current team; `as_of` does not apply)."""
    return _active_people(partners, [Role.PARTNER_REP])


def active_users(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Active partner admins and reps of the partner (its current team; `as_of` does not apply)."""
    return _active_people(partners, [Role.PARTNER_ADMIN, Role.PARTNER_REP])


PARTNER_METRICS = (
    Metric(
        DAYS_SINCE_JOINING,
        _("Days since joining"),
        Unit.DAYS,
        days_since_joining,
        _("Days since the partner joined the program."),
    ),
    Metric(
        ONBOARDING_COMPLETE,
        _("Onboarding complete"),
        Unit.FLAG,
        onboarding_complete,
        _("All required onboarding steps are done."),
    ),
    Metric(ACTIVE_REPS, _("Active sales reps"), Unit.COUNT, active_reps, _("Partner reps with an active account.")),
    Metric(
        ACTIVE_USERS,
        _("Active portal users"),
        Unit.COUNT,
        active_users,
        _("Partner admins and reps with an active account."),
    ),
)
