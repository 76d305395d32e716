"""Portal pages of the incentives app."""

from .views import programs

app_name = "incentives"

urlpatterns = [
    *programs.urlpatterns,
]
