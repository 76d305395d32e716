"""Every non-trivial read of the deals app; other apps import from here."""

from .conflicts import Candidate, conflict_candidates

__all__ = ["Candidate", "conflict_candidates"]

# --- sales: catalog, house accounts, sale records ---
from .sales import (
    house_account_list,
    product_list,
    products_visible_to,
    sale_record_list,
    sale_records_visible_to,
    sale_totals,
)

__all__ += [
    "house_account_list",
    "product_list",
    "products_visible_to",
    "sale_record_list",
    "sale_records_visible_to",
    "sale_totals",
]
