"""API routes of the incentives app under /api/v1/; each area's module registers on the one router."""

from django.urls import path

from prm.api.routers import ApiRouter

from .leaderboards import LeaderboardView

router = ApiRouter()

urlpatterns = [
    path("leaderboards/", LeaderboardView.as_view(), name="leaderboards"),
    *router.urls,
]
