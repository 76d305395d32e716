"""Every write of the deals app; other apps import from here."""

from .catalog import (
    house_account_create,
    house_account_update,
    house_accounts_import,
    product_create,
    product_update,
    products_import,
)
from .imports import ImportRejected, ImportResult
from .leads import (
    ACCEPT_SLA,
    LEAD_FIELDS,
    LeadImportRejected,
    lead_accept,
    lead_assign,
    lead_assign_best,
    lead_convert,
    lead_create,
    lead_record_first_action,
    lead_reject,
    lead_sla_sweep,
    leads_check,
    leads_import,
)
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
from .sales import sale_records_import

__all__ = [
    "ACCEPT_SLA",
    "ImportRejected",
    "ImportResult",
    "LEAD_FIELDS",
    "LeadImportRejected",
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
    "house_account_create",
    "house_account_update",
    "house_accounts_import",
    "lead_accept",
    "lead_assign",
    "lead_assign_best",
    "lead_convert",
    "lead_create",
    "lead_record_first_action",
    "lead_reject",
    "lead_sla_sweep",
    "leads_check",
    "leads_import",
    "lines_replace",
    "product_create",
    "product_update",
    "products_import",
    "sale_records_import",
]
