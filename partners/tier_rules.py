"""Pure tier rules (no ORM): which tier a partner qualifies for, what evaluation does about it, and the
progress a partner sees. The evaluation service, the tier page, the API and the admin simulation all use
these functions, so they cannot disagree.

- A partner qualifies for the highest tier whose criteria (`metric >= threshold`, all of them) it meets;
  the entry tier (lowest rank) always qualifies. A metric with no value counts as 0.
- Promotion: to the highest qualifying tier at once, skipping levels if it qualifies for them.
- Demotion: only after the partner has been below its current tier's criteria for at least the grace
  period (counted from `below_tier_since`), and then to the highest tier it qualifies for.
- A pin lasting until a date (inclusive) freezes the tier; once the date has passed the pin is dropped
  and the partner is evaluated normally.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

PROMOTION = "promotion"
DEMOTION = "demotion"
ZERO = Decimal(0)


@dataclass(frozen=True)
class CriterionSpec:
    metric: str
    threshold: Decimal


@dataclass(frozen=True)
class TierSpec:
    id: int
    rank: int
    name: str
    criteria: tuple[CriterionSpec, ...] = ()


@dataclass(frozen=True)
class Decision:
    qualifies_for: TierSpec
    kind: str | None = None  # PROMOTION, DEMOTION or None (stays)
    to_tier: TierSpec | None = None
    below_tier_since: date | None = None  # the value to store after this evaluation
    pin_expired: bool = False
    pinned: bool = False


@dataclass(frozen=True)
class CriterionProgress:
    metric: str
    value: Decimal
    threshold: Decimal
    missing: Decimal
    met: bool


@dataclass(frozen=True)
class Progress:
    current: TierSpec | None
    next: TierSpec | None
    qualifies_for: TierSpec
    current_criteria: tuple[CriterionProgress, ...] = ()
    next_criteria: tuple[CriterionProgress, ...] = ()


@dataclass(frozen=True)
class SimulatedMove:
    partner_id: int
    from_tier: TierSpec | None
    to_tier: TierSpec
    direction: str  # PROMOTION or DEMOTION


def ordered(tiers: Sequence[TierSpec]) -> list[TierSpec]:
    return sorted(tiers, key=lambda tier: tier.rank)


def value_of(values: Mapping[str, Decimal], metric: str) -> Decimal:
    return values.get(metric, ZERO)


def meets(tier: TierSpec, values: Mapping[str, Decimal]) -> bool:
    return all(value_of(values, c.metric) >= c.threshold for c in tier.criteria)


def qualifying_tier(tiers: Sequence[TierSpec], values: Mapping[str, Decimal]) -> TierSpec:
    """The highest tier whose criteria are all met; the entry tier when none is."""
    if not tiers:
        raise ValueError("A program needs at least one tier to evaluate.")
    ranked = ordered(tiers)
    best = ranked[0]
    for tier in ranked[1:]:
        if meets(tier, values):
            best = tier
    return best


def is_pinned(pinned_until: date | None, today: date) -> bool:
    return pinned_until is not None and pinned_until >= today


def decide(
    *,
    tiers: Sequence[TierSpec],
    current_tier_id: int | None,
    values: Mapping[str, Decimal],
    below_tier_since: date | None,
    pinned_until: date | None,
    grace_days: int,
    today: date,
) -> Decision:
    """What one evaluation on `today` does to one partner."""
    qualifies = qualifying_tier(tiers, values)
    if is_pinned(pinned_until, today):
        return Decision(qualifies_for=qualifies, below_tier_since=below_tier_since, pinned=True)
    pin_expired = pinned_until is not None
    current = next((tier for tier in tiers if tier.id == current_tier_id), None)
    if current is None or qualifies.rank > current.rank:
        return Decision(qualifies_for=qualifies, kind=PROMOTION, to_tier=qualifies, pin_expired=pin_expired)
    if qualifies.rank == current.rank:
        return Decision(qualifies_for=qualifies, pin_expired=pin_expired)
    since = below_tier_since or today
    if (today - since).days >= grace_days:
        return Decision(qualifies_for=qualifies, kind=DEMOTION, to_tier=qualifies, pin_expired=pin_expired)
    return Decision(qualifies_for=qualifies, below_tier_since=since, pin_expired=pin_expired)


def criterion_progress(criterion: CriterionSpec, values: Mapping[str, Decimal]) -> CriterionProgress:
    value = value_of(values, criterion.metric)
    return CriterionProgress(
        metric=criterion.metric,
        value=value,
        threshold=criterion.threshold,
        missing=max(criterion.threshold - value, ZERO),
        met=value >= criterion.threshold,
    )


def progress(*, tiers: Sequence[TierSpec], current_tier_id: int | None, values: Mapping[str, Decimal]) -> Progress:
    """Where a partner stands: its tier's criteria (to keep it) and the next tier's (to reach it)."""
    ranked = ordered(tiers)
    current = next((tier for tier in ranked if tier.id == current_tier_id), None)
    above = [tier for tier in ranked if current is None or tier.rank > current.rank]
    upcoming = above[0] if above else None
    return Progress(
        current=current,
        next=upcoming,
        qualifies_for=qualifying_tier(ranked, values),
        current_criteria=tuple(criterion_progress(c, values) for c in (current.criteria if current else ())),
        next_criteria=tuple(criterion_progress(c, values) for c in (upcoming.criteria if upcoming else ())),
    )


def simulate(
    *,
    tiers: Sequence[TierSpec],
    partners: Sequence[tuple[int, int | None, date | None]],
    values: Mapping[int, Mapping[str, Decimal]],
    today: date,
) -> list[SimulatedMove]:
    """Who would move with these tiers: `partners` are (id, current tier id, pinned until).

    Up means the next evaluation promotes (or asks approval for) it; down means it falls below its tier's
    criteria and is demoted once the grace period has run out. Pinned partners do not move.
    """
    by_id = {tier.id: tier for tier in tiers}
    moves = []
    for partner_id, tier_id, pinned_until in partners:
        if is_pinned(pinned_until, today):
            continue
        qualifies = qualifying_tier(tiers, values.get(partner_id, {}))
        current = by_id.get(tier_id)
        if current is None or qualifies.rank > current.rank:
            moves.append(SimulatedMove(partner_id, current, qualifies, PROMOTION))
        elif qualifies.rank < current.rank:
            moves.append(SimulatedMove(partner_id, current, qualifies, DEMOTION))
    return moves


def explain(decision: Decision, values: Mapping[str, Decimal], current: TierSpec | None) -> list[tuple[str, str]]:
    """The criteria behind a move, as (metric, "value ≥ threshold" / "value < threshold") pairs.

    For a promotion: the criteria of the tier it reached. For a demotion: the criteria of the tier it lost
    that are no longer met.
    """
    if decision.kind == PROMOTION:
        criteria = decision.to_tier.criteria
    elif decision.kind == DEMOTION and current is not None:
        criteria = tuple(c for c in current.criteria if value_of(values, c.metric) < c.threshold)
    else:
        return []
    pairs = []
    for criterion in criteria:
        value = value_of(values, criterion.metric)
        sign = "≥" if value >= criterion.threshold else "<"
        pairs.append((criterion.metric, f"{_plain(value)} {sign} {_plain(criterion.threshold)}"))
    return pairs


def _plain(value: Decimal) -> str:
    """2.00 → 2, 2.50 → 2.5: thresholds and counts read naturally in reasons."""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
