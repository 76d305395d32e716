"""Portal pages of the incentives app."""

app_name = "incentives"

urlpatterns = []
