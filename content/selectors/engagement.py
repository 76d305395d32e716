"""The inputs of the engagement score, counted for a whole set of partners in ONE query (a correlated count per
input), over the `WINDOW_DAYS` calendar days up to and including `as_of` in the current time zone:

- sign-ins of the partner's users (`SignIn` of a membership linked to the partner),
- views and downloads of content recorded for the partner (`AssetEvent.partner`),
- courses completed: a person's first passing attempt of a course, when it falls in the window (passing it again
  later is not a new completion),
- reward redemptions for the partner, unless refused.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from incentives.selectors import redemption_list
from prm.accounts.models import SignIn

from ..engagement_rules import WINDOW_DAYS, EngagementCounts
from ..models import AssetEvent, Attempt

INPUT_NAMES = tuple(EngagementCounts.__dataclass_fields__)


def engagement_window(as_of: date | None = None) -> tuple[datetime, datetime]:
    """[start, end) instants of the `WINDOW_DAYS` days ending with `as_of` (default today)."""
    last = as_of or timezone.localdate()
    zone = timezone.get_current_timezone()
    first = last - timedelta(days=WINDOW_DAYS - 1)
    return datetime.combine(first, time.min, tzinfo=zone), datetime.combine(
        last + timedelta(days=1), time.min, tzinfo=zone
    )


def _count(rows: QuerySet, partner_field: str):
    counted = rows.order_by().values(partner_field).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0), output_field=IntegerField())


def _inputs(start: datetime, end: datetime) -> dict:
    partner = OuterRef("pk")
    earlier_pass = Attempt.objects.filter(
        Q(submitted_at__lt=OuterRef("submitted_at")) | Q(submitted_at=OuterRef("submitted_at"), pk__lt=OuterRef("pk")),
        user=OuterRef("user"),
        course=OuterRef("course"),
        passed=True,
    )
    redemptions = redemption_list()
    return {
        "signins": _count(
            SignIn.objects.filter(
                membership__partner_links__partner=partner, signed_in_at__gte=start, signed_in_at__lt=end
            ),
            "membership__partner_links__partner",
        ),
        "content_events": _count(
            AssetEvent.objects.filter(partner=partner, occurred_at__gte=start, occurred_at__lt=end), "partner"
        ),
        "course_completions": _count(
            Attempt.objects.filter(partner=partner, passed=True, submitted_at__gte=start, submitted_at__lt=end).filter(
                ~Exists(earlier_pass)
            ),
            "partner",
        ),
        "redemptions": _count(
            redemptions.filter(partner=partner, requested_at__gte=start, requested_at__lt=end).exclude(
                status=redemptions.model.Status.REFUSED
            ),
            "partner",
        ),
    }


def engagement_counts(partners: QuerySet, *, as_of: date | None = None, inputs=INPUT_NAMES) -> dict[int, dict]:
    """{partner id: {input: count}} for every partner of `partners`, in one query."""
    annotations = {f"engagement_{name}": value for name, value in _inputs(*engagement_window(as_of)).items()}
    chosen = {f"engagement_{name}": annotations[f"engagement_{name}"] for name in inputs}
    rows = partners.order_by().annotate(**chosen).values("pk", *chosen)
    return {row["pk"]: {name: row[f"engagement_{name}"] for name in inputs} for row in rows}
