from .announcements import (
    announcement_create,
    announcement_email_send,
    announcement_mark_read,
    announcement_pin,
    announcement_publish,
    announcement_unpin,
    announcement_unpublish,
    announcement_update,
    announcements_due_send,
    announcements_mark_all_read,
)
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
from .search import assets_index

__all__ = [
    "asset_create",
    "asset_event_record",
    "asset_publish",
    "asset_unpublish",
    "asset_update",
    "asset_version_add",
    "assets_index",
    "campaign_items_set",
    "folder_create",
    "library_create",
]
__all__ += [  # announcements
    "announcement_create",
    "announcement_email_send",
    "announcement_mark_read",
    "announcement_pin",
    "announcement_publish",
    "announcement_unpin",
    "announcement_unpublish",
    "announcement_update",
    "announcements_due_send",
    "announcements_mark_all_read",
]
