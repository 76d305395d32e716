"""API routes of the partners app under /api/v1/; each area's module registers on the one router."""

from rest_framework.routers import SimpleRouter

from . import onboarding, programs

router = SimpleRouter()
router.register("programs", programs.ProgramViewSet, basename="program")

urlpatterns = [
    *router.urls,
    *programs.urlpatterns,
    *onboarding.urlpatterns,
]
