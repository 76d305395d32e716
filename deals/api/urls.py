"""API routes of the deals app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import protection
from .deals import DealViewSet

router = ApiRouter()
router.register("deals", DealViewSet, basename="deal")

urlpatterns = [
    *protection.urlpatterns,  # explicit deal actions (extensions, amendments) before the router's deal routes
    *router.urls,
]
