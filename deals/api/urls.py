"""API routes of the deals app under /api/v1/; each area's module registers on the one router."""

from prm.api.routers import ApiRouter

from . import protection

router = ApiRouter()

urlpatterns = [
    *protection.urlpatterns,  # PROTECT: explicit deal actions, before the router's deal routes
    *router.urls,
]
