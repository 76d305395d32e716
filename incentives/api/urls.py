"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from django.urls import path

from prm.api.routers import ApiRouter

from . import ledger, points, programs
from .activities import ActivityEventViewSet
from .leaderboards import LeaderboardView

router = ApiRouter()
router.register("incentives/activities", ActivityEventViewSet, basename="incentive-activity")
router.register("incentives/programs", programs.IncentiveProgramViewSet, basename="incentive-program")
router.register("incentives/runs", programs.RunViewSet, basename="incentive-run")
router.register("incentives/earnings", ledger.EarningViewSet, basename="incentive-earning")
router.register("incentives/payouts", ledger.PayoutViewSet, basename="incentive-payout")
router.register("incentives/statements", ledger.StatementViewSet, basename="incentive-statement")
router.register("points", points.PointsViewSet, basename="points")
router.register("rewards", points.RewardViewSet, basename="reward")
router.register("redemptions", points.RedemptionViewSet, basename="redemption")

urlpatterns = [
    path("leaderboards/", LeaderboardView.as_view(), name="leaderboards"),
    *router.urls,
]
