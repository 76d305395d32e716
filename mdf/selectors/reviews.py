"""Reviews past their deadline: submitted requests and claims whose `review_due_at` (the fund's SLA, set on
submit) has passed, for the portal and admin to flag."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Now

from ..models import MdfClaim, MdfClaimStatus, MdfRequest, MdfRequestStatus


@dataclass(frozen=True)
class OverdueReviews:
    requests: QuerySet[MdfRequest]
    claims: QuerySet[MdfClaim]


def reviews_overdue() -> OverdueReviews:
    """Submitted requests and claims whose review is overdue, the longest waiting first."""
    late = Q(review_due_at__lt=Now())
    return OverdueReviews(
        requests=MdfRequest.objects.filter(late, status=MdfRequestStatus.SUBMITTED)
        .select_related("partner")
        .order_by("review_due_at", "pk"),
        claims=MdfClaim.objects.filter(late, status=MdfClaimStatus.SUBMITTED)
        .select_related("partner", "request")
        .order_by("review_due_at", "pk"),
    )
