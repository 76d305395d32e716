"""How long partners wait for their money: from a claim's submission to the payment of its reimbursement."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, QuerySet

from prm.sql import HoursBetween, PercentileCont

from ..models import MdfClaim, MdfClaimStatus


@dataclass(frozen=True)
class PaymentTimes:
    paid_claims: int
    average_days: Decimal | None
    median_days: Decimal | None
    p90_days: Decimal | None


def _days(hours: float | None) -> Decimal | None:
    if hours is None:
        return None
    return (Decimal(str(hours)) / 24).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def claim_payment_times(claims: QuerySet[MdfClaim]) -> PaymentTimes:
    """Days from submission to payment over the paid claims of `claims` (one query): average, median, 90th
    percentile, to a tenth of a day."""
    waited = HoursBetween(F("paid_at"), F("submitted_at"))
    row = claims.filter(status=MdfClaimStatus.PAID, submitted_at__isnull=False, paid_at__isnull=False).aggregate(
        paid_claims=Count("pk"), average=Avg(waited), median=PercentileCont(waited), p90=PercentileCont(waited, 0.9)
    )
    return PaymentTimes(row["paid_claims"], _days(row["average"]), _days(row["median"]), _days(row["p90"]))
