"""Every write of the deals app; other apps import from here."""

from .registration import REGISTRATION_FIELDS, deal_register, lines_replace

__all__ = ["REGISTRATION_FIELDS", "deal_register", "lines_replace"]

# --- sales: catalog, house accounts, sale records ---
from .catalog import (
    house_account_create,
    house_account_update,
    house_accounts_import,
    product_create,
    product_update,
    products_import,
)
from .imports import ImportRejected, ImportResult
from .sales import sale_records_import

__all__ += [
    "ImportRejected",
    "ImportResult",
    "house_account_create",
    "house_account_update",
    "house_accounts_import",
    "product_create",
    "product_update",
    "products_import",
    "sale_records_import",
]
