"""What leads became, for another app's set-based reports (MDF ROI): the registrations made from a set of leads,
counted and summed in SQL."""

from decimal import Decimal

from django.db.models import Count, Expression, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Deal, DealStatus


def lead_outcomes(*, lead_ids: QuerySet, group: Expression, currency: Expression) -> QuerySet:
    """The registrations made from the leads in `lead_ids` (a `values("lead_id")` queryset), counted per `group`
    (an expression over the registration, e.g. a subquery naming its lead's campaign), one query. Rows:

    - `group`;
    - `deals`: registrations submitted (every status but draft);
    - `won`: those won;
    - `won_other_currency`: won in another currency than `currency` (an expression over the registration):
      amounts are never converted, so these are left out of `revenue`;
    - `revenue`: the won amount (`closed_amount`) of the won registrations in `currency`.
    """
    won = Q(status=DealStatus.WON)
    in_currency = Q(currency=F("counted_currency"))
    return (
        Deal.objects.filter(lead_id__in=lead_ids)
        .exclude(status=DealStatus.DRAFT)
        .annotate(group=group, counted_currency=currency)
        .order_by()
        .values("group")
        .annotate(
            deals=Count("pk"),
            won=Count("pk", filter=won),
            won_other_currency=Count("pk", filter=won & ~in_currency),
            revenue=Coalesce(Sum("closed_amount", filter=won & in_currency), Value(Decimal(0))),
        )
    )
