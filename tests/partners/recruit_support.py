"""Shared set-up of the recruitment tests: an open program with tiers, a checklist and questions."""

from tests.factories import ChecklistStepTemplateFactory, ProgramFactory, TierFactory

QUESTIONS = [
    {"key": "why", "label": "Why do you want to partner with us?", "required": True},
    {"key": "team", "label": "How many sales people do you have?", "required": False},
]


def open_program(tenant, **kwargs):
    """A public program with Registered/Gold tiers, two checklist steps and two questions."""
    defaults = {"name": "Resellers", "slug": "resellers", "application_questions": QUESTIONS, "position": 0}
    program = ProgramFactory(tenant=tenant, **{**defaults, **kwargs})
    TierFactory(
        program=program,
        rank=1,
        name="Gold",
        product_discount_pct="20.00",
        deal_registration_discount_pct="7.50",
        rebate_multiplier="1.50",
        mdf_allocation_per_quarter="15000.00",
        mdf_reimbursement_cap_pct="50.00",
        perks=["Early beta access", "Two event tickets"],
    )
    TierFactory(program=program, rank=0, name="Registered", product_discount_pct="5.00")
    ChecklistStepTemplateFactory(program=program, kind="accept_agreement", title="Accept the agreement")
    ChecklistStepTemplateFactory(program=program, kind="manual", title="Kick-off call")
    return program


def submission(**overrides) -> dict:
    """Valid `application_submit` / API arguments."""
    return {
        "company_name": "Nimbus IT",
        "website": "https://www.nimbus.example/about",
        "contact_name": "Nora Nimbus",
        "contact_email": "nora@nimbus.example",
        "country": "NL",
        "types": ["reseller", "msp"],
        "regions": ["europe"],
        "verticals": ["healthcare"],
        "expected_annual_revenue": "250000.00",
        "answers": {"why": "Our customers ask for you.", "team": "12"},
        **overrides,
    }
