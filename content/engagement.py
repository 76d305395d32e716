"""The engagement metrics registered with the partners' metric registry (`content.ready.engagement`): the score
(`content.engagement_rules`) and its four raw counts, each computed in one query for a whole set of partners."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from partners.metrics import Metric, Unit

from .engagement_rules import EngagementCounts, engagement_score
from .selectors.engagement import engagement_counts

ENGAGEMENT_90D = "engagement_90d"
RAW_COUNTS = {
    "signins": ("signins_90d", _("Sign-ins, last 90 days"), _("Sign-ins of the partner's users.")),
    "content_events": (
        "content_events_90d",
        _("Content views and downloads, last 90 days"),
        _("Views and downloads of library content by the partner's users."),
    ),
    "course_completions": (
        "course_completions_90d",
        _("Courses completed, last 90 days"),
        _("First passes of a course's quiz by the partner's users."),
    ),
    "redemptions": (
        "redemptions_90d",
        _("Reward redemptions, last 90 days"),
        _("Rewards the partner's users redeemed points for (refused ones do not count)."),
    ),
}


def engagement_90d(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
    """The engagement score (0–100) of each partner over the 90 days up to and including `as_of`."""
    return {
        pk: engagement_score(EngagementCounts(**counts))
        for pk, counts in engagement_counts(partners, as_of=as_of).items()
    }


def _raw(name: str):
    def compute(partners, *, as_of: date | None = None) -> dict[int, Decimal]:
        rows = engagement_counts(partners, as_of=as_of, inputs=(name,))
        return {pk: Decimal(counts[name]) for pk, counts in rows.items()}

    compute.__name__ = RAW_COUNTS[name][0]
    return compute


ENGAGEMENT_METRICS = (
    Metric(
        ENGAGEMENT_90D,
        _("Engagement score, last 90 days"),
        Unit.SCORE,
        engagement_90d,
        _(
            "0–100: sign-ins, content views and downloads, courses completed and reward redemptions of the last 90 "
            "days, each counted up to a cap and weighted (see the content documentation)."
        ),
    ),
    *(
        Metric(key, label, Unit.COUNT, _raw(name), description)
        for name, (key, label, description) in RAW_COUNTS.items()
    ),
)
