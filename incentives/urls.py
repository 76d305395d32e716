"""Portal pages of the incentives app; each area's view module contributes its own `urlpatterns`."""

from .views import earnings, leaderboards, programs, rewards

app_name = "incentives"

urlpatterns = [
    *programs.urlpatterns,
    *earnings.urlpatterns,
    *rewards.urlpatterns,
    *leaderboards.urlpatterns,
]
