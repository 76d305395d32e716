"""The tier/business-plan metric registry. Apps contribute metrics in `AppConfig.ready()`.

A metric computes its value for a whole set of partners in one query, so evaluating every partner
of a vendor costs one query per metric, not one per partner:

    register_metric(Metric("revenue_12m", _("Revenue, trailing 12 months"), Unit.MONEY, compute_fn))

`compute(partners)` takes a Partner queryset (already scoped to the tenant in context) and returns
{partner_id: Decimal}; partners it leaves out count as 0.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    DAYS = "days", _("days")
    MONEY = "money", _("amount")
    FLAG = "flag", _("yes/no")
    SCORE = "score", _("score")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    compute: Callable[..., dict[int, Decimal]]
    description: str = ""


_METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    existing = _METRICS.get(metric.key)
    if existing is not None and existing != metric:
        raise ValueError(f"Metric {metric.key!r} is already registered.")
    _METRICS[metric.key] = metric


def metric_get(key: str) -> Metric:
    try:
        return _METRICS[key]
    except KeyError:
        raise KeyError(f"Unknown metric {key!r}.") from None


def metrics_all() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda metric: metric.key)


def metric_choices() -> list[tuple[str, str]]:
    return [(metric.key, metric.label) for metric in metrics_all()]
