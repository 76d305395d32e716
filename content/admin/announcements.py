"""Admin: announcements."""
