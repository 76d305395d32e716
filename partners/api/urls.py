"""API routes of the partners app under /api/v1/; each area's module registers on the one router."""

from rest_framework.routers import SimpleRouter

from .applications import PartnerApplicationViewSet

router = SimpleRouter()
router.register("partner-applications", PartnerApplicationViewSet, basename="partner-application")

urlpatterns = [*router.urls]
