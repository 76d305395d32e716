"""API routes of the deals app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import catalog, protection, sales
from .deals import DealViewSet
from .leads import LeadViewSet

router = ApiRouter()
router.register("deals", DealViewSet, basename="deal")
router.register("products", catalog.ProductViewSet, basename="product")
router.register("house-accounts", catalog.HouseAccountViewSet, basename="house-account")
router.register("sales", sales.SaleRecordViewSet, basename="sale")
router.register("leads", LeadViewSet, basename="lead")

urlpatterns = [
    *protection.urlpatterns,  # explicit deal actions (extensions, amendments) before the router's deal routes
    *router.urls,
]
