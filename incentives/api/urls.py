"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import points

router = ApiRouter()
router.register("points", points.PointsViewSet, basename="points")
router.register("rewards", points.RewardViewSet, basename="reward")
router.register("redemptions", points.RedemptionViewSet, basename="redemption")

urlpatterns = [
    *router.urls,
]
