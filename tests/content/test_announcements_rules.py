"""The live window of an announcement, as a pure rule: draft, scheduled, live (publish time included), expired
(expiry time excluded); a window's expiry needs a publication before it."""

from datetime import UTC, datetime, timedelta

from content.announcement_rules import AnnouncementState, announcement_state, is_live, window_errors

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_states_through_the_window():
    assert announcement_state(publish_at=None, expire_at=None, now=NOW) == AnnouncementState.DRAFT
    assert announcement_state(publish_at=NOW + HOUR, expire_at=None, now=NOW) == AnnouncementState.SCHEDULED
    assert announcement_state(publish_at=NOW, expire_at=None, now=NOW) == AnnouncementState.LIVE
    assert announcement_state(publish_at=NOW - HOUR, expire_at=NOW + HOUR, now=NOW) == AnnouncementState.LIVE
    assert announcement_state(publish_at=NOW - HOUR, expire_at=NOW, now=NOW) == AnnouncementState.EXPIRED
    assert is_live(publish_at=NOW - HOUR, expire_at=None, now=NOW)
    assert not is_live(publish_at=NOW - 2 * HOUR, expire_at=NOW - HOUR, now=NOW)


def test_window_errors():
    assert window_errors(publish_at=None, expire_at=None) == {}
    assert window_errors(publish_at=NOW, expire_at=NOW + HOUR) == {}
    assert window_errors(publish_at=None, expire_at=NOW) == {"expire_at": "needs_publish_at"}
    assert window_errors(publish_at=NOW, expire_at=NOW) == {"expire_at": "before_publish_at"}
