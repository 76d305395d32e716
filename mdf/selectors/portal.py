"""Reads behind the MDF portal pages: claim deadlines, requests with their claim, the review queue and each
fund's spend against its allocations. Each takes a queryset already scoped by the access selectors."""

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet

from ..models import (
    APPROVED_REQUEST_STATUSES,
    OPEN_CLAIM_STATUSES,
    CampaignLead,
    MdfClaim,
    MdfClaimStatus,
    MdfRequest,
    MdfRequestStatus,
)
from .lifecycle import default_claim_due


def with_claim(requests: QuerySet[MdfRequest]) -> QuerySet[MdfRequest]:
    """Each request with its claim's id, status and due date (a request has at most one claim)."""
    return requests.annotate(claim_pk=F("claims__pk"), claim_status=F("claims__status"), claim_due=F("claims__due_on"))


@dataclass(frozen=True)
class Deadline:
    due_on: datetime.date
    request: MdfRequest
    claim: MdfClaim | None  # None: the approved request has no claim yet


def claim_deadlines(*, requests: QuerySet[MdfRequest], claims: QuerySet[MdfClaim], limit: int = 10) -> list[Deadline]:
    """The next claim deadlines, soonest first: approved requests not claimed yet (due the activity's end plus
    the fund's claim window) and claims still being prepared (due their own, possibly extended, date), except
    those of requests that lapsed."""
    unclaimed = (
        requests.filter(status__in=APPROVED_REQUEST_STATUSES, claims__isnull=True)
        .annotate(claim_by=default_claim_due())
        .order_by("claim_by", "pk")[:limit]
    )
    preparing = (
        claims.filter(status__in=OPEN_CLAIM_STATUSES)
        .exclude(request__status=MdfRequestStatus.LAPSED)
        .order_by("due_on", "pk")[:limit]
    )
    deadlines = [Deadline(r.claim_by, r, None) for r in unclaimed] + [
        Deadline(c.due_on, c.request, c) for c in preparing
    ]
    return sorted(deadlines, key=lambda deadline: deadline.due_on)[:limit]


def requests_to_review(requests: QuerySet[MdfRequest]) -> QuerySet[MdfRequest]:
    return requests.filter(status=MdfRequestStatus.SUBMITTED).order_by("submitted_at", "pk")


def claims_to_review(claims: QuerySet[MdfClaim]) -> QuerySet[MdfClaim]:
    return claims.filter(status=MdfClaimStatus.SUBMITTED).order_by("submitted_at", "pk")


def campaign_lead_count(request: MdfRequest) -> int:
    return CampaignLead.objects.filter(request=request).count()
