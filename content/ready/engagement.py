"""The content app's engagement: the engagement score and its raw counts in the partners' metric registry (run
from ContentConfig.ready())."""


def register() -> None:
    from partners.metrics import register_metric

    from ..engagement import ENGAGEMENT_METRICS

    for metric in ENGAGEMENT_METRICS:
        register_metric(metric)
