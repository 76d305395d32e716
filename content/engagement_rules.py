"""The engagement score, a pure rule (no ORM): how actively a partner's people used the portal in a window.

Each input counts up to its cap, so one busy habit (a hundred sign-ins) cannot make up for the rest; each capped
input earns its share of 100 points:

    score = Σ weight × min(count, cap) / cap        (0–100, two decimals, half up)

| input                                  | cap | weight |
|----------------------------------------|-----|--------|
| sign-ins of the partner's users        |  20 |   30   |
| content views and downloads            |  30 |   30   |
| courses completed (first pass)         |   3 |   25   |
| reward redemptions (not refused)       |   2 |   15   |
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WINDOW_DAYS = 90


@dataclass(frozen=True)
class Input:
    cap: int
    weight: int


# The one place the formula's numbers live (docs/content.md shows the same table).
INPUTS = {
    "signins": Input(cap=20, weight=30),
    "content_events": Input(cap=30, weight=30),
    "course_completions": Input(cap=3, weight=25),
    "redemptions": Input(cap=2, weight=15),
}


@dataclass(frozen=True)
class EngagementCounts:
    signins: int = 0
    content_events: int = 0
    course_completions: int = 0
    redemptions: int = 0


def engagement_score(counts: EngagementCounts) -> Decimal:
    total = Decimal(0)
    for name, part in INPUTS.items():
        count = max(getattr(counts, name), 0)
        total += Decimal(part.weight) * min(count, part.cap) / part.cap
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
