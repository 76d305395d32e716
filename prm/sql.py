"""PostgreSQL expressions the ORM does not ship (shared by the business apps' selectors)."""

from django.db.models import Aggregate, FloatField, Func


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)` (0.5: the median)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float = 0.5, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class HoursBetween(Func):
    """Hours (fractional) from the timestamp `start` to the timestamp `end`."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)
