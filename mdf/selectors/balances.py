"""Allocation balances in one grouped query over requests and their claims (`mdf.rules.Balance`)."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from ..models import (
    APPROVED_CLAIM_STATUSES,
    APPROVED_REQUEST_STATUSES,
    OPEN_CLAIM_STATUSES,
    Allocation,
    MdfClaimStatus,
    MdfRequest,
)
from ..rules import ZERO, Balance

APPROVED_REQUEST = Q(status__in=APPROVED_REQUEST_STATUSES)
UNCLAIMED = Q(claims__isnull=True) | Q(claims__status__in=OPEN_CLAIM_STATUSES)
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum(*whens: When):
    return Coalesce(Sum(Case(*whens, default=Value(Decimal(0)), output_field=_MONEY)), Value(Decimal(0)))


def holds() -> dict:
    """Per request (one row each; a request has at most one claim), the parts of a balance it holds."""
    return {
        "requested": _sum(
            When(APPROVED_REQUEST & UNCLAIMED, then=F("approved_amount")),
            When(
                APPROVED_REQUEST & Q(claims__status=MdfClaimStatus.SUBMITTED),
                then=F("approved_amount") - F("claims__amount"),
            ),
        ),
        "claimed": _sum(When(claims__status=MdfClaimStatus.SUBMITTED, then=F("claims__amount"))),
        "approved": _sum(When(claims__status__in=APPROVED_CLAIM_STATUSES, then=F("claims__approved_amount"))),
        "paid": _sum(When(claims__status=MdfClaimStatus.PAID, then=F("claims__approved_amount"))),
    }


def allocation_balances(allocations: Iterable[Allocation]) -> dict[int, Balance]:
    """{allocation id: Balance} for the given allocations, in one query besides the allocations."""
    allocations = list(allocations)
    held = {
        row.pop("allocation_id"): row
        for row in MdfRequest.objects.filter(allocation__in=[a.pk for a in allocations])
        .values("allocation_id")
        .annotate(**holds())
    }
    return {a.pk: Balance(allocated=a.amount, expired=a.expired_amount, **held.get(a.pk, {})) for a in allocations}


def allocation_balance(allocation: Allocation) -> Balance:
    return allocation_balances([allocation])[allocation.pk]


def balance_total(balances: Iterable[Balance]) -> Balance:
    return sum(balances, Balance(allocated=ZERO))
