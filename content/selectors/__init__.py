from .search import asset_search
from .visibility import assets_for_partner, assets_visible_to, audience_condition, public_assets

__all__ = ["asset_search", "assets_for_partner", "assets_visible_to", "audience_condition", "public_assets"]
