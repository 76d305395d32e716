from .library import (
    asset_versions,
    campaign_items_visible,
    downloadable_version,
    folders_of,
    libraries_with_counts,
    may_fetch_old_versions,
    recommended_assets,
    sees_counts,
    with_event_counts,
)
from .search import asset_search
from .visibility import assets_for_partner, assets_visible_to, audience_condition, public_assets

__all__ = [
    "asset_search",
    "asset_versions",
    "assets_for_partner",
    "assets_visible_to",
    "audience_condition",
    "campaign_items_visible",
    "downloadable_version",
    "folders_of",
    "libraries_with_counts",
    "may_fetch_old_versions",
    "public_assets",
    "recommended_assets",
    "sees_counts",
    "with_event_counts",
]
