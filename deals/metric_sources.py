"""Tier and analytics metrics fed by deals, sales and leads (registered in `DealsConfig.ready()`).

Each `compute(partners, *, as_of=None)` runs ONE query for the whole Partner queryset (rows grouped by
partner, restricted with a subquery on `partners`), whatever the number of partners, and counts the
trailing 12 months up to and including `as_of` (default: today in the current time zone).
Partners without data are left out (the registry counts them as 0).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.metrics import Metric, Unit
from prm.sql import HoursBetween, PercentileCont
from prm.tenancy.context import current_tenant

from .models import Deal, DealStatus, LeadAssignment, SaleRecord
from .sales_rules import money, trailing_months

REVENUE_12M = "revenue_12m"
DEALS_WON = "deals_won"
APPROVED_REGISTRATIONS = "approved_registrations"
REGISTRATION_WIN_RATE = "registration_win_rate"
LEAD_MEDIAN_TIME_TO_ACCEPT = "lead_median_time_to_accept_hours"

# Registrations whose approval stands in their history: approved, then maybe won, lost or expired.
APPROVED_OR_LATER = (DealStatus.APPROVED, DealStatus.WON, DealStatus.LOST, DealStatus.EXPIRED)


def _window(as_of: date | None) -> tuple[date, date]:
    return trailing_months(as_of or timezone.localdate())


def _moments(as_of: date | None) -> tuple[datetime, datetime]:
    """The window as [start, end) instants in the current time zone, for timestamp columns."""
    first, last = _window(as_of)
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _of(partners):
    return partners.order_by().values("pk")


def _per_partner(queryset, value) -> dict[int, Decimal]:
    rows = queryset.order_by().values("partner_id").annotate(metric_value=value)
    rows = rows.values_list("partner_id", "metric_value")
    return {partner_id: Decimal(str(result)) for partner_id, result in rows if result is not None}


def revenue_12m(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Sum of sale amounts booked in the trailing 12 months, in the vendor's currency only."""
    first, last = _window(as_of)
    sales = SaleRecord.objects.filter(
        partner_id__in=_of(partners), booked_on__range=(first, last), currency=current_tenant().currency
    )
    return {pk: money(value) for pk, value in _per_partner(sales, Sum("amount")).items()}


def deals_won(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Registrations closed as won in the trailing 12 months."""
    start, end = _moments(as_of)
    won = Deal.objects.filter(
        partner_id__in=_of(partners), status=DealStatus.WON, closed_at__gte=start, closed_at__lt=end
    )
    return _per_partner(won, Count("pk"))


def approved_registrations(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Registrations approved in the trailing 12 months (by their decision date), whatever happened since."""
    start, end = _moments(as_of)
    approved = Deal.objects.filter(
        partner_id__in=_of(partners), status__in=APPROVED_OR_LATER, decided_at__gte=start, decided_at__lt=end
    )
    return _per_partner(approved, Count("pk"))


def registration_win_rate(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Won / (won + lost) × 100 of the registrations closed in the trailing 12 months (0–100, 2 places)."""
    start, end = _moments(as_of)
    closed = Deal.objects.filter(
        partner_id__in=_of(partners),
        status__in=(DealStatus.WON, DealStatus.LOST),
        closed_at__gte=start,
        closed_at__lt=end,
    )
    rows = (
        closed.order_by()
        .values("partner_id")
        .annotate(won=Count("pk", filter=Q(status=DealStatus.WON)), closed=Count("pk"))
        .values_list("partner_id", "won", "closed")
    )
    return {partner_id: money(Decimal(100) * won / closed) for partner_id, won, closed in rows}


def lead_median_time_to_accept_hours(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """Median hours from a lead's assignment to its acceptance, over the leads accepted in the trailing
    12 months (PostgreSQL percentile_cont; 2 places)."""
    start, end = _moments(as_of)
    accepted = LeadAssignment.objects.filter(
        partner_id__in=_of(partners),
        outcome=LeadAssignment.Outcome.ACCEPTED,
        decided_at__gte=start,
        decided_at__lt=end,
    )
    median = PercentileCont(HoursBetween(F("decided_at"), F("assigned_at")))
    return {pk: money(value) for pk, value in _per_partner(accepted, median).items()}


SALES_METRICS = (
    Metric(
        REVENUE_12M,
        _("Revenue, trailing 12 months"),
        Unit.MONEY,
        revenue_12m,
        _("Booked sales of the last 12 months, in the vendor's currency (other currencies are not counted)."),
    ),
    Metric(DEALS_WON, _("Deals won"), Unit.COUNT, deals_won, _("Registrations closed as won in the last 12 months.")),
    Metric(
        APPROVED_REGISTRATIONS,
        _("Approved registrations"),
        Unit.COUNT,
        approved_registrations,
        _("Deal registrations approved in the last 12 months, whatever their status now."),
    ),
    Metric(
        REGISTRATION_WIN_RATE,
        _("Registration win rate (%)"),
        Unit.SCORE,
        registration_win_rate,
        _("Won registrations as a share of those won or lost in the last 12 months."),
    ),
    Metric(
        LEAD_MEDIAN_TIME_TO_ACCEPT,
        _("Median time to accept a lead (hours)"),
        Unit.SCORE,
        lead_median_time_to_accept_hours,
        _("Median hours from a lead's assignment to its acceptance, leads accepted in the last 12 months."),
    ),
)
