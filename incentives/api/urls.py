"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import programs
from .activities import ActivityEventViewSet

router = ApiRouter()
router.register("incentives/activities", ActivityEventViewSet, basename="incentive-activity")
router.register("incentives/programs", programs.IncentiveProgramViewSet, basename="incentive-program")
router.register("incentives/runs", programs.RunViewSet, basename="incentive-run")

urlpatterns = [
    *router.urls,
]
