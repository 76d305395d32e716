"""What leads became, for another app's set-based reports (MDF ROI): the registrations made from a set of leads,
counted and summed in SQL."""

from decimal import Decimal

from django.db.models import Count, Expression, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Deal, DealStatus


def lead_outcomes(*, lead_ids: QuerySet, group: Expression) -> QuerySet:
    """The registrations made from the leads in `lead_ids` (a `values("lead_id")` queryset), counted per `group`
    (an expression over the registration, e.g. a subquery naming its lead's campaign) and currency, one query.
    Rows:

    - `group`, `currency`;
    - `deals`: registrations submitted (every status but draft);
    - `won`: those won;
    - `revenue`: the won amount (`closed_amount`) of the won registrations (in `currency`: amounts are never
      converted, the caller decides which currency counts).
    """
    won = Q(status=DealStatus.WON)
    return (
        Deal.objects.filter(lead_id__in=lead_ids)
        .exclude(status=DealStatus.DRAFT)
        .annotate(group=group)
        .order_by()
        .values("group", "currency")
        .annotate(
            deals=Count("pk"),
            won=Count("pk", filter=won),
            revenue=Coalesce(Sum("closed_amount", filter=won), Value(Decimal(0))),
        )
    )
