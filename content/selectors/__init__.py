from .announcements import (
    announcement_audience_users,
    announcement_feed,
    announcement_unread_count,
    announcements_for_partner,
    announcements_visible_to,
    live_condition,
    with_read_counts,
    with_unread,
)
from .engagement import engagement_counts
from .search import asset_search
from .visibility import assets_for_partner, assets_visible_to, audience_condition, public_assets

__all__ = ["asset_search", "assets_for_partner", "assets_visible_to", "audience_condition", "public_assets"]
__all__ += [  # announcements and engagement
    "announcement_audience_users",
    "announcement_feed",
    "announcement_unread_count",
    "announcements_for_partner",
    "announcements_visible_to",
    "engagement_counts",
    "live_condition",
    "with_read_counts",
    "with_unread",
]
