"""Portal pages of the MDF app; each area's view module contributes its own `urlpatterns`."""

from .views import claims, home, requests, roi

app_name = "mdf"

urlpatterns = [
    *home.urlpatterns,
    *requests.urlpatterns,
    *claims.urlpatterns,
    *roi.urlpatterns,
]
