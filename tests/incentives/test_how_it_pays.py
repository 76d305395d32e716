"""The rules of each kind in words (pure: unsaved programs, validated params)."""

from incentives.models import IncentiveProgram
from incentives.rules import validate_params
from incentives.selectors.program_views import current_rule_version, how_it_pays


def _program(kind, **values):
    return IncentiveProgram(kind=kind, currency="EUR", **{"award_to": "partner", "unit": "money", **values})


def test_rebate_bands_table_and_rules():
    params = validate_params(
        "rebate",
        {
            "bands": [{"from": "50000", "rate": "1.5"}, {"from": "150000", "rate": "3"}],
            "minimum": "20000",
            "use_tier_multiplier": False,
            "product_families": ["Cameras"],
            "sale_kinds": ["new"],
        },
    )
    how = how_it_pays(_program("rebate"), params)
    assert how.headers == ["Period revenue", "Rate"]
    assert how.rows == [
        ["from 0.00 to under 50,000.00 EUR", "0 %"],
        ["from 50,000.00 to under 150,000.00 EUR", "1.5 %"],
        ["150,000.00 EUR and more", "3 %"],
    ]
    text = " ".join(how.sentences)
    assert "Retroactive" in text and "Nothing is paid below 20,000.00 EUR" in text
    assert "multiplier" not in text and "Cameras" in text and "kinds of sale: new" in text


def test_spif_percent_in_points_and_unknown_products():
    params = validate_params("spif", {"basis": "percent", "rate": "2.5", "products": [7]})
    how = how_it_pays(_program("spif", award_to="rep", unit="points"), params, products={})
    assert how.sentences[0] == "2.5 % of the amount of every sale of the products below."
    assert how.rows == [["—", "Product #7"]]
    per_unit = validate_params("spif", {"basis": "per_unit", "amount": "40", "products": [7], "cap_per_rep": "400"})
    sentences = how_it_pays(_program("spif", award_to="rep", unit="points"), per_unit).sentences
    assert "40 points per unit sold of the products below." in sentences
    assert "At most 400 points per rep over the whole program." in sentences


def test_points_table_with_caps():
    params = validate_params("points", {"points": {"demo_logged": 5, "deal_won": 50}, "caps": {"demo_logged": 25}})
    how = how_it_pays(_program("points", award_to="rep", unit="points"), params)
    assert how.headers == ["Activity", "Points", "Cap per period"]
    assert how.rows == [["Deal won", "50", "none"], ["Demo logged", "5", "25"]]
    assert "the rep" in how.sentences[0]


def test_revenue_share_for_life_with_renewals_and_bonus_percent():
    share = validate_params("revenue_share", {"rate": "12", "renewal_rate": "6"})
    sentences = how_it_pays(_program("revenue_share"), share).sentences
    assert (
        sentences[0]
        == "12 % of the recurring revenue of the customers the partner brought, for the life of each subscription."
    )
    assert "Renewals earn 6 %." in sentences
    bonus = validate_params("registration_bonus", {"basis": "percent", "rate": "1.5"})
    assert how_it_pays(_program("registration_bonus"), bonus).sentences == [
        "1.5 % of the won amount for every approved deal registration won inside its protection window, "
        "paid to the partner company."
    ]


def test_current_rule_version_is_the_one_pricing_todays_period():
    from datetime import date

    from incentives.models import RuleVersion

    program = _program("rebate", period_scheme="quarter", starts_on=date(2026, 1, 1))
    v1 = RuleVersion(version=1, effective_from=date(2026, 1, 1), params={})
    v2 = RuleVersion(version=2, effective_from=date(2026, 7, 1), params={})
    v3 = RuleVersion(version=3, effective_from=date(2027, 1, 1), params={})
    versions = [v3, v1, v2]
    assert current_rule_version(program, versions, today=date(2026, 6, 30)) is v1
    assert current_rule_version(program, versions, today=date(2026, 7, 1)) is v2
    assert current_rule_version(program, versions, today=date(2027, 2, 1)) is v3
    assert current_rule_version(program, versions, today=date(2025, 5, 1)) is v1  # before the program starts
    assert current_rule_version(program, [], today=date(2026, 1, 1)) is None
