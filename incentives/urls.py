"""Portal pages of the incentives app."""

from .views import earnings, programs

app_name = "incentives"

urlpatterns = [
    *programs.urlpatterns,
    *earnings.urlpatterns,
]
