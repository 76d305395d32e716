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
