"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import ledger

router = ApiRouter()
router.register("incentives/earnings", ledger.EarningViewSet, basename="incentive-earning")
router.register("incentives/payouts", ledger.PayoutViewSet, basename="incentive-payout")
router.register("incentives/statements", ledger.StatementViewSet, basename="incentive-statement")

urlpatterns = [
    *router.urls,
]
