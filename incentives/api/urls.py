"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

router = ApiRouter()

urlpatterns = [
    *router.urls,
]
