from .announcements import Announcement, AnnouncementRead
from .assets import Asset, AssetEvent, AssetKind, AssetVersion, CampaignItem, Stage
from .cobranding import CoBrandedCopy
from .library import Folder, Library
from .training import (
    Attempt,
    Certification,
    Choice,
    Course,
    Lesson,
    LessonKind,
    LessonProgress,
    Question,
    QuestionKind,
)

__all__ = [
    "Announcement",
    "AnnouncementRead",
    "Asset",
    "AssetEvent",
    "AssetKind",
    "AssetVersion",
    "Attempt",
    "CampaignItem",
    "Certification",
    "Choice",
    "CoBrandedCopy",
    "Course",
    "Folder",
    "Lesson",
    "LessonKind",
    "LessonProgress",
    "Library",
    "Question",
    "QuestionKind",
    "Stage",
]
