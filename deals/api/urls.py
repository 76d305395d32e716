"""API routes of the deals app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

router = ApiRouter()

# leads
from .leads import LeadViewSet  # noqa: E402

router.register("leads", LeadViewSet, basename="lead")

urlpatterns = [*router.urls]
