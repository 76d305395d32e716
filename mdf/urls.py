"""Portal pages of the MDF app; each area's view module contributes its own `urlpatterns`."""

from .views import roi

app_name = "mdf"

urlpatterns = [
    *roi.urlpatterns,
]
