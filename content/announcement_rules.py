"""Pure announcement rules (no ORM): the window in which an announcement is shown, and its state for the vendor."""

from datetime import datetime
from enum import StrEnum


class AnnouncementState(StrEnum):
    DRAFT = "draft"  # no publication time yet
    SCHEDULED = "scheduled"  # published from a time still to come
    LIVE = "live"  # shown to its audience now
    EXPIRED = "expired"  # its expiry has passed


def announcement_state(*, publish_at: datetime | None, expire_at: datetime | None, now: datetime) -> AnnouncementState:
    """Live from `publish_at` (included) until `expire_at` (excluded, none: for good)."""
    if publish_at is None:
        return AnnouncementState.DRAFT
    if publish_at > now:
        return AnnouncementState.SCHEDULED
    if expire_at is not None and expire_at <= now:
        return AnnouncementState.EXPIRED
    return AnnouncementState.LIVE


def is_live(*, publish_at: datetime | None, expire_at: datetime | None, now: datetime) -> bool:
    return announcement_state(publish_at=publish_at, expire_at=expire_at, now=now) == AnnouncementState.LIVE


def window_errors(*, publish_at: datetime | None, expire_at: datetime | None) -> dict[str, str]:
    """What is wrong with a publication window: an expiry needs a publication time before it."""
    if expire_at is None:
        return {}
    if publish_at is None:
        return {"expire_at": "needs_publish_at"}
    if expire_at <= publish_at:
        return {"expire_at": "before_publish_at"}
    return {}
