"""Portal pages of the deals app; each area's view module contributes its own `urlpatterns`."""

app_name = "deals"

urlpatterns = []
