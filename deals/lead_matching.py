"""Lead matching (pure, no ORM): how well a partner fits a lead, factor by factor.

Each factor adds (or, for the open-lead load, takes away) points; the total ranks the candidates and
the breakdown is stored on the assignment so a manager sees why a partner was chosen:

    country     +30  the partner is based in the lead's country
    region      +15  the partner serves the lead's region
    vertical    +20  the partner works in the lead's industry
    capability  +20  the partner offers the capability the lead needs
    tier        +5 per tier rank (rank 0, the entry tier, adds nothing), at most +15
    load        -5 per lead the partner holds open (assigned or accepted), at most -25

A partner sharing none of country, region, vertical or capability with the lead is no candidate.
Ties go to the lighter load, then the higher tier, then the partner's name.
"""

from dataclasses import dataclass

COUNTRY_POINTS = 30
REGION_POINTS = 15
VERTICAL_POINTS = 20
CAPABILITY_POINTS = 20
TIER_POINTS_PER_RANK = 5
TIER_POINTS_MAX = 15
LOAD_PENALTY_PER_LEAD = 5
LOAD_PENALTY_MAX = 25

FIT_FACTORS = ("country", "region", "vertical", "capability")
FACTORS = (*FIT_FACTORS, "tier", "load")


@dataclass(frozen=True)
class LeadFacts:
    country: str = ""
    region: str = ""
    vertical: str = ""
    capability: str = ""


@dataclass(frozen=True)
class PartnerFacts:
    partner_id: int
    name: str
    country: str = ""
    regions: tuple[str, ...] = ()
    verticals: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    tier_rank: int | None = None
    open_leads: int = 0


@dataclass(frozen=True)
class MatchScore:
    partner_id: int
    name: str
    points: dict[str, int]  # factor → points, in FACTORS order
    values: dict[str, object]  # factor → the partner's value compared

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def fits(self) -> bool:
        return any(self.points[factor] > 0 for factor in FIT_FACTORS)

    def as_factors(self) -> dict:
        """The JSON stored on LeadAssignment.factors: {"country": {"value": "DE", "points": 30}, …, "total": 45}."""
        breakdown = {factor: {"value": self.values[factor], "points": self.points[factor]} for factor in FACTORS}
        return {**breakdown, "total": self.total}


def _matches(wanted: str, offered) -> bool:
    return bool(wanted) and wanted in offered


def score_partner(lead: LeadFacts, partner: PartnerFacts) -> MatchScore:
    rank = partner.tier_rank or 0
    points = {
        "country": COUNTRY_POINTS if lead.country and lead.country == partner.country else 0,
        "region": REGION_POINTS if _matches(lead.region, partner.regions) else 0,
        "vertical": VERTICAL_POINTS if _matches(lead.vertical, partner.verticals) else 0,
        "capability": CAPABILITY_POINTS if _matches(lead.capability, partner.capabilities) else 0,
        "tier": min(rank * TIER_POINTS_PER_RANK, TIER_POINTS_MAX),
        "load": -min(partner.open_leads * LOAD_PENALTY_PER_LEAD, LOAD_PENALTY_MAX),
    }
    values = {
        "country": partner.country,
        "region": list(partner.regions),
        "vertical": list(partner.verticals),
        "capability": list(partner.capabilities),
        "tier": partner.tier_rank,
        "load": partner.open_leads,
    }
    return MatchScore(partner.partner_id, partner.name, points, values)


def rank_partners(lead: LeadFacts, partners) -> list[MatchScore]:
    """The partners that fit the lead, best first."""
    scores = [score_partner(lead, partner) for partner in partners]
    facts = {partner.partner_id: partner for partner in partners}
    return sorted(
        (score for score in scores if score.fits),
        key=lambda score: (
            -score.total,
            facts[score.partner_id].open_leads,
            -(facts[score.partner_id].tier_rank or 0),
            score.name.lower(),
            score.partner_id,
        ),
    )
