"""Portal pages: library."""

urlpatterns: list = []
