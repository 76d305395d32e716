"""Every write of the deals app; other apps import from here."""

from .lifecycle import (
    deal_approve,
    deal_close_lost,
    deal_close_won,
    deal_reject,
    deal_special_pricing_set,
    deal_submit,
    deal_update_draft,
)
from .protection import (
    deal_amend,
    deal_extension_approve,
    deal_extension_reject,
    deal_extension_request,
    deal_protection_sweep,
)
from .registration import REGISTRATION_FIELDS, deal_register, lines_replace
from .rules import deal_rules_save

__all__ = [
    "REGISTRATION_FIELDS",
    "deal_amend",
    "deal_approve",
    "deal_close_lost",
    "deal_close_won",
    "deal_extension_approve",
    "deal_extension_reject",
    "deal_extension_request",
    "deal_protection_sweep",
    "deal_register",
    "deal_reject",
    "deal_rules_save",
    "deal_special_pricing_set",
    "deal_submit",
    "deal_update_draft",
    "lines_replace",
]
