"""Business-plan reads: plans in scope, and goal progress from the metric registry."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Prefetch, QuerySet

from ..metrics import Metric, metric_get
from ..models import BusinessPlan, BusinessPlanGoal, Partner, QbrNote


def business_plan_list(partners: QuerySet) -> QuerySet:
    """Plans of `partners` (a scoped partner queryset), newest period first, with goals and QBR notes."""
    return (
        BusinessPlan.objects.filter(partner__in=partners)
        .select_related("partner", "created_by")
        .prefetch_related(
            Prefetch("goals", queryset=BusinessPlanGoal.objects.order_by("metric")),
            Prefetch("qbr_notes", queryset=QbrNote.objects.select_related("author").order_by("-held_on", "-id")),
        )
        .order_by("partner__name", "-period_start")
    )


def goal_percent(current: Decimal, target: Decimal) -> int:
    """Whole percent of `target` reached (rounded down, not capped: over-achievement shows as > 100)."""
    if target <= 0:
        return 100
    return int((Decimal(current) * 100 / Decimal(target)).to_integral_value(rounding=ROUND_DOWN))


@dataclass(frozen=True)
class GoalProgress:
    goal: BusinessPlanGoal
    metric: Metric | None  # None when the metric is no longer registered
    current: Decimal | None
    percent: int | None

    @property
    def label(self) -> str:
        return str(self.metric.label) if self.metric is not None else self.goal.metric


def business_plans_progress(plans) -> dict[int, list[GoalProgress]]:
    """Each goal of each plan with its partner's current value of the goal's metric.

    One query per distinct metric for all the plans together (metrics compute set-based), so a
    page of plans costs the same whatever its length. Goals must be prefetched (`business_plan_list`).
    """
    plans = list(plans)
    wanted: dict[str, set[int]] = {}
    for plan in plans:
        for goal in plan.goals.all():
            wanted.setdefault(goal.metric, set()).add(plan.partner_id)
    values: dict[str, dict[int, Decimal]] = {}
    metrics: dict[str, Metric | None] = {}
    for key, partner_ids in sorted(wanted.items()):
        try:
            metrics[key] = metric_get(key)
        except KeyError:
            metrics[key] = None
            continue
        values[key] = metrics[key].compute(Partner.objects.filter(pk__in=partner_ids))
    result = {}
    for plan in plans:
        rows = []
        for goal in plan.goals.all():
            metric = metrics[goal.metric]
            if metric is None:
                rows.append(GoalProgress(goal, None, None, None))
                continue
            current = Decimal(values[goal.metric].get(plan.partner_id, Decimal(0)))
            rows.append(GoalProgress(goal, metric, current, goal_percent(current, goal.target)))
        result[plan.pk] = rows
    return result


def business_plan_progress(plan: BusinessPlan) -> list[GoalProgress]:
    return business_plans_progress([plan])[plan.pk]
