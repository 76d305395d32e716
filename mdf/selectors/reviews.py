"""Reviews past their deadline: submitted requests and claims whose `review_due_at` (the fund's SLA, set on
submit) has passed, for the portal and admin to flag."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from ..models import MdfClaim, MdfRequest, MdfRequestStatus
from ..rules import review_overdue


@dataclass(frozen=True)
class OverdueReviews:
    requests: QuerySet[MdfRequest]
    claims: QuerySet[MdfClaim]


# A request or claim waiting for review past its deadline (`mdf.rules.review_overdue` in SQL; both models call
# the state "submitted").
REVIEW_OVERDUE = Q(status=MdfRequestStatus.SUBMITTED, review_due_at__lt=Now())


def is_review_overdue(row) -> bool:
    """The same for one request or claim already read."""
    return review_overdue(row.status, row.review_due_at, timezone.now())


def reviews_overdue() -> OverdueReviews:
    """Submitted requests and claims whose review is overdue, the longest waiting first."""
    return OverdueReviews(
        requests=MdfRequest.objects.filter(REVIEW_OVERDUE).select_related("partner").order_by("review_due_at", "pk"),
        claims=MdfClaim.objects.filter(REVIEW_OVERDUE)
        .select_related("partner", "request")
        .order_by("review_due_at", "pk"),
    )
