"""API routes of the partners app under /api/v1/; each area's module registers on the one router."""

from django.urls import path

from prm.api.routers import ApiRouter

from . import company, onboarding, programs, tiers
from .applications import PartnerApplicationViewSet
from .plans import BusinessPlanViewSet

router = ApiRouter()
router.register("partner-applications", PartnerApplicationViewSet, basename="partner-application")
router.register("partners", company.PartnerViewSet, basename="partner")
router.register("programs", programs.ProgramViewSet, basename="program")
router.register("tiers", tiers.TierViewSet, basename="tier")
router.register("tier-changes", tiers.TierChangeViewSet, basename="tier-change")
router.register("business-plans", BusinessPlanViewSet, basename="business-plan")

urlpatterns = [
    path("partners/<int:pk>/tier-progress", tiers.TierProgressView.as_view(), name="partner-tier-progress"),
    path("partners/<int:pk>/tier-pin", tiers.TierPinView.as_view(), name="partner-tier-pin"),
    *router.urls,
    *company.urlpatterns,
    *programs.urlpatterns,
    *onboarding.urlpatterns,
]
