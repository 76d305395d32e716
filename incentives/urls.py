"""Portal pages of the incentives app; each area's view module contributes its own `urlpatterns`."""

from .views import rewards

app_name = "incentives"

urlpatterns = [
    *rewards.urlpatterns,
]
