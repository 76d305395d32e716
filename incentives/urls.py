"""Portal pages of the incentives app."""

from .views import earnings

app_name = "incentives"

urlpatterns = [
    *earnings.urlpatterns,
]
