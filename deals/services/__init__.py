"""Every write of the deals app; other apps import from here."""

# core: the registration lifecycle
from .lifecycle import (
    deal_approve,
    deal_close_lost,
    deal_close_won,
    deal_reject,
    deal_special_pricing_set,
    deal_submit,
    deal_update_draft,
)
from .registration import REGISTRATION_FIELDS, deal_register, lines_replace
from .rules import deal_rules_save

__all__ = ["REGISTRATION_FIELDS", "deal_register", "lines_replace"]
__all__ += [  # core
    "deal_approve",
    "deal_close_lost",
    "deal_close_won",
    "deal_reject",
    "deal_rules_save",
    "deal_special_pricing_set",
    "deal_submit",
    "deal_update_draft",
]
