"""Pure content rules (no ORM): who an asset is for, and which text search configuration reads its language."""

from dataclasses import dataclass

# PostgreSQL text search configurations per portal language (stemming and stop words of that language).
SEARCH_CONFIGS = {"en": "english", "es": "spanish", "nl": "dutch", "ar": "arabic"}


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, "simple")


@dataclass(frozen=True)
class Audience:
    """What an asset's restrictions are checked against: a partner's program, tier, types and regions."""

    program_id: int | None
    tier_id: int | None
    types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Restrictions:
    program_ids: tuple[int, ...] = ()
    tier_ids: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


def is_for(restrictions: Restrictions, audience: Audience) -> bool:
    """Whether a restricted asset is for this partner: every restriction set must match (an empty one matches
    anyone); a partner of one of the types or regions listed matches that restriction."""
    return (
        (not restrictions.program_ids or audience.program_id in restrictions.program_ids)
        and (not restrictions.tier_ids or audience.tier_id in restrictions.tier_ids)
        and (not restrictions.types or bool(set(restrictions.types) & set(audience.types)))
        and (not restrictions.regions or bool(set(restrictions.regions) & set(audience.regions)))
    )


# Where a partner is in its journey, by its lifecycle status: an applicant or a partner still onboarding needs
# onboarding content; anyone past it sells (suspended and offboarded partners see no recommendations anyway: they
# cannot sign in).
ONBOARDING_STATUSES = frozenset({"applicant", "onboarding"})


def journey_stage(partner_status: str) -> str:
    """The stage whose content helps the partner most now: `onboarding` until its onboarding is done, then
    `selling`."""
    return "onboarding" if partner_status in ONBOARDING_STATUSES else "selling"


def recommended_stages(stage: str) -> tuple[str, ...]:
    """The asset stages worth recommending at a journey stage, best first. A selling partner also services its
    customers, so servicing content follows the selling content; an asset for every stage (empty) comes last."""
    if stage == "onboarding":
        return ("onboarding", "")
    return ("selling", "servicing", "")
