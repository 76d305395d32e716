from django import template

from ..metrics import metric_label
from ..profile import profile_labels as labels_of

register = template.Library()


@register.filter
def profile_labels(values, field: str) -> str:
    """`{{ partner.types|profile_labels:"types" }}` → "Reseller / VAR, Managed service provider"."""
    return ", ".join(labels_of(field, values))


register.filter("metric_label", metric_label)
