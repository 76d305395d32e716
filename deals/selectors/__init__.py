"""Every non-trivial read of the deals app; other apps import from here."""

from .conflicts import Candidate, conflict_candidates
from .deals import (
    REVIEW_OVERDUE,
    DealPricing,
    deal_detail,
    deal_history,
    deal_list,
    deal_partner_recipients,
    deal_pricing,
    deal_vendor_recipients,
    deals_pricing,
    with_conflict_evidence,
    with_pricing_data,
)
from .leads import (
    lead_list,
    lead_match_candidates,
    lead_time_to_accept_hours,
    lead_time_to_first_action_hours,
    leads_of_partner,
)
from .protection import extension_pending_of
from .rules import conflict_rule_text, deal_rules_by_program, deal_rules_for, rules_explained
from .sales import (
    house_account_list,
    product_list,
    products_visible_to,
    revenue_by_partner,
    sale_record_list,
    sale_records_visible_to,
    sale_totals,
)

__all__ = [
    "Candidate",
    "DealPricing",
    "REVIEW_OVERDUE",
    "conflict_candidates",
    "conflict_rule_text",
    "deal_detail",
    "deal_history",
    "deal_list",
    "deal_partner_recipients",
    "deal_pricing",
    "deal_rules_by_program",
    "deal_rules_for",
    "deal_vendor_recipients",
    "deals_pricing",
    "extension_pending_of",
    "house_account_list",
    "lead_list",
    "lead_match_candidates",
    "lead_time_to_accept_hours",
    "lead_time_to_first_action_hours",
    "leads_of_partner",
    "product_list",
    "products_visible_to",
    "revenue_by_partner",
    "rules_explained",
    "sale_record_list",
    "sale_records_visible_to",
    "sale_totals",
    "with_conflict_evidence",
    "with_pricing_data",
]
