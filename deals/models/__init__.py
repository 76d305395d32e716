from .catalog import HouseAccount, Product
from .deals import (
    Deal,
    DealConflict,
    DealEvent,
    DealLine,
    DealRules,
    DealSource,
    DealStatus,
    ExtensionRequest,
    ProtectionReminder,
)
from .leads import Lead, LeadAssignment
from .sales import SaleRecord

__all__ = [
    "Deal",
    "DealConflict",
    "DealEvent",
    "DealLine",
    "DealRules",
    "DealSource",
    "DealStatus",
    "ExtensionRequest",
    "HouseAccount",
    "Lead",
    "LeadAssignment",
    "Product",
    "ProtectionReminder",
    "SaleRecord",
]
