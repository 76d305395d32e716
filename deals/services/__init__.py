"""Every write of the deals app; other apps import from here."""

from .registration import REGISTRATION_FIELDS, deal_register, lines_replace

__all__ = ["REGISTRATION_FIELDS", "deal_register", "lines_replace"]

# --- protection lifecycle, extensions, amendments (PROTECT) ---
from .protection import (
    deal_amend,
    deal_extension_approve,
    deal_extension_reject,
    deal_extension_request,
    deal_protection_sweep,
)

__all__ += [
    "deal_amend",
    "deal_extension_approve",
    "deal_extension_reject",
    "deal_extension_request",
    "deal_protection_sweep",
]
