"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from .activities import ActivityEventViewSet

router = ApiRouter()
router.register("incentives/activities", ActivityEventViewSet, basename="incentive-activity")

urlpatterns = [
    *router.urls,
]
