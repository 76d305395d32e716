"""API routes of the deals app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import catalog, sales  # sales area

router = ApiRouter()

# --- sales: catalog, house accounts, sale records ---
router.register("products", catalog.ProductViewSet, basename="product")
router.register("house-accounts", catalog.HouseAccountViewSet, basename="house-account")
router.register("sales", sales.SaleRecordViewSet, basename="sale")

urlpatterns = [*router.urls]
