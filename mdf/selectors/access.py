"""Who sees which MDF rows: the vendor's staff see all; a partner's users see their company's. Every page, API
view and download reads through these, so a foreign or missing row is the same 404 everywhere."""

from django.db.models import QuerySet

from partners.permissions import request_partner
from prm.accounts.permissions import request_can

from ..models import Allocation, ClaimAttachment, Fund, MdfClaim, MdfRequest


def _partner(request):
    return request_partner(request) if request_can(request, "mdf.use") else None


def _scoped(queryset: QuerySet, request, partner_path: str) -> QuerySet:
    if request_can(request, "mdf.view_all"):
        return queryset
    partner = _partner(request)
    if partner is None:
        return queryset.none()
    return queryset.filter(**{partner_path: partner})


def funds_visible_to(request) -> QuerySet[Fund]:
    """Vendor staff: every fund; a partner: the funds it has an allocation in."""
    funds = Fund.objects.all()
    if request_can(request, "mdf.view_all"):
        return funds
    partner = _partner(request)
    if partner is None:
        return funds.none()
    return funds.filter(pk__in=Allocation.objects.filter(partner=partner).values("fund_id"))


def allocations_visible_to(request) -> QuerySet[Allocation]:
    return _scoped(Allocation.objects.select_related("fund", "partner"), request, "partner")


def requests_visible_to(request) -> QuerySet[MdfRequest]:
    return _scoped(
        MdfRequest.objects.select_related("allocation__fund", "partner", "activity_type"), request, "partner"
    )


def claims_visible_to(request) -> QuerySet[MdfClaim]:
    return _scoped(
        MdfClaim.objects.select_related("request__activity_type", "allocation__fund", "partner"), request, "partner"
    )


def attachments_visible_to(request) -> QuerySet[ClaimAttachment]:
    return _scoped(ClaimAttachment.objects.select_related("claim"), request, "claim__partner")
