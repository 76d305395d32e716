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
    "lessons_with_progress",
    "public_assets",
    "request_training_partner",
]
