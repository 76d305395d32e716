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
from .protection import extension_pending_of
from .rules import conflict_rule_text, deal_rules_by_program, deal_rules_for, rules_explained

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
    "extension_pending_of",
    "deals_pricing",
    "extension_pending_of",
    "rules_explained",
    "with_conflict_evidence",
    "with_pricing_data",
]
