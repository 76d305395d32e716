"""API: training."""


def register(router) -> None:
    """Add this area's viewsets to the content API router."""


urlpatterns: list = []
