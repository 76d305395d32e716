"""Portal pages of the incentives app."""

from .views import leaderboards

app_name = "incentives"

urlpatterns = [
    *leaderboards.urlpatterns,
]
