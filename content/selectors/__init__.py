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
from .training import (
    attempts_visible_to,
    catalogue_for,
    certifications_visible_to,
    certified_people_count,
    course_questions,
    courses_for_partner,
    courses_overview,
    courses_visible_to,
    lessons_with_progress,
    request_training_partner,
)
from .visibility import assets_for_partner, assets_visible_to, audience_condition, public_assets

__all__ = [
    "announcement_audience_users",
    "announcement_feed",
    "announcement_unread_count",
    "announcements_for_partner",
    "announcements_visible_to",
    "asset_search",
    "assets_for_partner",
    "assets_visible_to",
    "attempts_visible_to",
    "audience_condition",
    "catalogue_for",
    "certifications_visible_to",
    "certified_people_count",
    "course_questions",
    "courses_for_partner",
    "courses_overview",
    "courses_visible_to",
    "engagement_counts",
    "lessons_with_progress",
    "live_condition",
    "public_assets",
    "request_training_partner",
    "with_read_counts",
    "with_unread",
]
