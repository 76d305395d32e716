"""Lead matching: the pure scoring with hand-computed totals, and the candidate selector over real partners."""

from deals.lead_matching import LeadFacts, PartnerFacts, rank_partners, score_partner
from deals.models import Lead
from deals.selectors.leads import lead_match_candidates
from prm.tenancy.context import tenant_context

from ..factories import LeadFactory, PartnerFactory, TierFactory

LEAD = LeadFacts(country="DE", region="europe", vertical="healthcare", capability="implementation")


def partner(partner_id, name, **facts):
    return PartnerFacts(partner_id=partner_id, name=name, **facts)


def test_each_factor_adds_its_points_and_the_load_takes_away():
    facts = partner(1, "Alpha", country="DE", regions=("europe",), verticals=("healthcare",), tier_rank=2, open_leads=1)
    score = score_partner(LEAD, facts)
    # country 30 + region 15 + vertical 20 + capability 0 + tier 2×5 − load 1×5
    assert score.points == {"country": 30, "region": 15, "vertical": 20, "capability": 0, "tier": 10, "load": -5}
    assert score.total == 70
    assert score.as_factors() == {
        "country": {"value": "DE", "points": 30},
        "region": {"value": ["europe"], "points": 15},
        "vertical": {"value": ["healthcare"], "points": 20},
        "capability": {"value": [], "points": 0},
        "tier": {"value": 2, "points": 10},
        "load": {"value": 1, "points": -5},
        "total": 70,
    }


def test_tier_points_and_load_penalty_are_capped():
    facts = partner(1, "Big", country="DE", tier_rank=9, open_leads=12)
    score = score_partner(LEAD, facts)
    assert (score.points["tier"], score.points["load"]) == (15, -25)
    assert score.total == 30 + 15 - 25


def test_a_partner_without_a_tier_or_with_the_entry_tier_gets_no_tier_points():
    assert score_partner(LEAD, partner(1, "A", country="DE")).points["tier"] == 0
    assert score_partner(LEAD, partner(2, "B", country="DE", tier_rank=0)).points["tier"] == 0


def test_ranking_best_first_ties_to_the_lighter_load_and_no_fit_no_candidate():
    alpha = partner(1, "Alpha", country="DE", regions=("europe",), verticals=("healthcare",), tier_rank=2, open_leads=1)
    # 0 + 15 + 20 + 20 + 15 (rank 4, capped) − 0 = 70: the same total as Alpha, with a lighter load.
    beta = partner(
        2,
        "Beta",
        country="NL",
        regions=("europe",),
        verticals=("healthcare",),
        capabilities=("implementation",),
        tier_rank=4,
    )
    busy = partner(3, "Busy", country="DE", open_leads=7)  # 30 − 25 = 5
    elsewhere = partner(4, "Elsewhere", country="US", regions=("north_america",), tier_rank=3)  # no fit at all
    ranked = rank_partners(LEAD, [busy, elsewhere, alpha, beta])
    assert [(score.name, score.total) for score in ranked] == [("Beta", 70), ("Alpha", 70), ("Busy", 5)]


def test_an_empty_lead_field_never_matches():
    lead = LeadFacts(country="", region="", vertical="", capability="")
    assert rank_partners(lead, [partner(1, "Blank", country="", regions=("",))]) == []


def test_candidates_are_active_fitting_partners_with_their_open_lead_load(tenant_a, tenant_b):
    gold = TierFactory(program__tenant=tenant_a, rank=2)
    near = PartnerFactory(program=gold.program, tier=gold, country="DE", verticals=["healthcare"])
    far = PartnerFactory(program=gold.program, country="US", regions=["north_america"], capabilities=["implementation"])
    PartnerFactory(program=gold.program, country="DE", status="onboarding")  # not active: matching skips it
    PartnerFactory(program=gold.program, country="FR", regions=["north_america"])  # no fit
    PartnerFactory(program__tenant=tenant_b, country="DE")  # another vendor's
    LeadFactory(tenant=tenant_a, partner=near, status=Lead.Status.ASSIGNED)
    LeadFactory(tenant=tenant_a, partner=near, status=Lead.Status.CONVERTED)  # not open: no load
    lead = LeadFactory(
        tenant=tenant_a, country="DE", region="europe", vertical="healthcare", capability="implementation"
    )
    with tenant_context(tenant_a):
        matches = lead_match_candidates(lead=lead)
        assert [(m.partner, m.score.total) for m in matches] == [(near, 30 + 15 + 20 + 10 - 5), (far, 20)]
        assert lead_match_candidates(lead=lead, exclude_partner_ids={near.pk})[0].partner == far
