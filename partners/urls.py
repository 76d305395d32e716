"""Portal pages of the partners app; each area's view module contributes its own `urlpatterns`."""

app_name = "partners"

urlpatterns = []
