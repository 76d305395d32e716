"""API routes of the partners app under /api/v1/; each area's module registers on the one router."""

from rest_framework.routers import SimpleRouter

from . import company as company_api
from .plans import BusinessPlanViewSet

router = SimpleRouter()
router.register("partners", company_api.PartnerViewSet, basename="partner")
router.register("business-plans", BusinessPlanViewSet, basename="business-plan")

urlpatterns = [*router.urls]
urlpatterns += company_api.urlpatterns
