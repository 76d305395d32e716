"""What leads became, for another app's set-based reports (MDF ROI): the registrations made from a set of leads,
counted and summed in SQL."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Expression, IntegerField, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Deal, DealStatus

_MONEY = DecimalField(max_digits=16, decimal_places=2)


def lead_outcome_expressions(*, lead_ids: QuerySet, currency) -> dict[str, Expression]:
    """The registrations made from the leads in `lead_ids` (a `values("lead_id")` queryset, usually tied to the
    caller's row with `OuterRef`), as one scalar subquery per figure to annotate the caller's rows with:

    - `deals`: registrations submitted (every status but draft);
    - `won`: those won;
    - `won_other_currency`: won in another currency than `currency` (an expression or value): amounts are never
      converted, so these are left out of `revenue`;
    - `revenue`: the won amount (`closed_amount`) of the won registrations in `currency`.
    """
    # Grouped by tenant: one row (or none) per subquery, since every query runs in one tenant.
    submitted = Deal.objects.filter(lead_id__in=lead_ids).exclude(status=DealStatus.DRAFT).order_by().values("tenant")
    won = Q(status=DealStatus.WON)

    def scalar(aggregate, output_field, empty):
        return Coalesce(
            Subquery(submitted.annotate(figure=aggregate).values("figure"), output_field=output_field),
            Value(empty, output_field=output_field),
        )

    return {
        "deals": scalar(Count("pk"), IntegerField(), 0),
        "won": scalar(Count("pk", filter=won), IntegerField(), 0),
        "won_other_currency": scalar(Count("pk", filter=won & ~Q(currency=currency)), IntegerField(), 0),
        "revenue": scalar(Sum("closed_amount", filter=won & Q(currency=currency)), _MONEY, Decimal(0)),
    }
