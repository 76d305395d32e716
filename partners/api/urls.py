"""API routes of the partners app under /api/v1/; each area's module registers on the one router."""

from rest_framework.routers import SimpleRouter

from . import onboarding, programs
from .applications import PartnerApplicationViewSet

router = SimpleRouter()
router.register("partner-applications", PartnerApplicationViewSet, basename="partner-application")
router.register("programs", programs.ProgramViewSet, basename="program")

urlpatterns = [
    *router.urls,
    *programs.urlpatterns,
    *onboarding.urlpatterns,
]
