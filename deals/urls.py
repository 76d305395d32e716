"""Portal pages of the deals app; each area's view module contributes its own `urlpatterns`."""

from .views import deals, leads, protection, sales

app_name = "deals"

urlpatterns = [
    *deals.urlpatterns,
    *protection.urlpatterns,
    *sales.urlpatterns,
    *leads.urlpatterns,
]
