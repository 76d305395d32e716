"""Portal pages: announcements."""

urlpatterns: list = []
