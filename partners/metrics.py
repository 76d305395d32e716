"""The tier/business-plan metric registry. Apps contribute metrics in `AppConfig.ready()`.

A metric computes its value for a whole set of partners in one query, so evaluating every partner
of a vendor costs one query per metric, not one per partner:

    register_metric(Metric("revenue_12m", _("Revenue, trailing 12 months"), Unit.MONEY, compute_fn))

`compute(partners, *, as_of=None)` takes a Partner queryset (already scoped to the tenant in context)
and the day to evaluate "as of" (None: today), and returns {partner_id: Decimal}; partners it leaves
out count as 0. Metrics that describe the present state (active reps) may ignore `as_of`; metrics over
time windows (revenue in the trailing 12 months, days since joining) count up to and including it.
Tier criteria and business-plan goals name metrics by key; `validate_metric_key` is the one check.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
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


def metric_label(key: str) -> str:
    """A metric's display name; the key itself for a metric no longer registered (old criteria, goals)."""
    metric = _METRICS.get(key)
    return str(metric.label) if metric is not None else key


def metrics_all() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda metric: metric.key)


def metric_choices() -> list[tuple[str, str]]:
    return [(metric.key, metric.label) for metric in metrics_all()]


def validate_metric_key(key: str) -> None:
    """Refuse a metric no app has registered (ValidationError, so forms and serializers can show it)."""
    if key not in _METRICS:
        known = ", ".join(sorted(_METRICS)) or "-"
        raise ValidationError(
            _("Unknown metric “%(key)s”. Choose one of: %(known)s.") % {"key": key, "known": known}, code="metric"
        )
