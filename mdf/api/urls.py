"""API routes of the MDF app under /api/v1/mdf/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import claims, funds, requests

router = ApiRouter()
router.register("mdf/funds", funds.FundViewSet, basename="mdf-fund")
router.register("mdf/allocations", funds.AllocationViewSet, basename="mdf-allocation")
router.register("mdf/activity-types", funds.ActivityTypeViewSet, basename="mdf-activity-type")
router.register("mdf/requests", requests.MdfRequestViewSet, basename="mdf-request")
router.register("mdf/claims", claims.MdfClaimViewSet, basename="mdf-claim")
router.register(
    r"mdf/claims/(?P<claim_pk>[0-9]+)/attachments", claims.ClaimAttachmentViewSet, basename="mdf-claim-attachment"
)

urlpatterns = [*router.urls]
