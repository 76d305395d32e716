from .assets import Asset, AssetEvent, AssetKind, AssetVersion, CampaignItem, Stage
from .library import Folder, Library

__all__ = ["Asset", "AssetEvent", "AssetKind", "AssetVersion", "CampaignItem", "Folder", "Library", "Stage"]
