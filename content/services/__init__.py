from .assets import (
    asset_create,
    asset_event_record,
    asset_publish,
    asset_unpublish,
    asset_update,
    asset_version_add,
    campaign_items_set,
    folder_create,
    library_create,
)
from .cobranding import branding_fingerprint, cobranded_copy_get, is_cobrandable
from .libraries import library_update
from .search import assets_index

__all__ = [
    "asset_create",
    "asset_event_record",
    "asset_publish",
    "asset_unpublish",
    "asset_update",
    "asset_version_add",
    "assets_index",
    "branding_fingerprint",
    "cobranded_copy_get",
    "is_cobrandable",
    "campaign_items_set",
    "folder_create",
    "library_create",
    "library_update",
]
