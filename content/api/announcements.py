"""API: announcements."""


def register(router) -> None:
    """Add this area's viewsets to the content API router."""


urlpatterns: list = []
