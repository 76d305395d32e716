"""Every write of the deals app; other apps import from here."""

from .registration import REGISTRATION_FIELDS, deal_register, lines_replace

__all__ = ["REGISTRATION_FIELDS", "deal_register", "lines_replace"]

# leads
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
    leads_import,
)

__all__ += [
    "ACCEPT_SLA",
    "LEAD_FIELDS",
    "LeadImportRejected",
    "lead_accept",
    "lead_assign",
    "lead_assign_best",
    "lead_convert",
    "lead_create",
    "lead_record_first_action",
    "lead_reject",
    "lead_sla_sweep",
    "leads_import",
]
