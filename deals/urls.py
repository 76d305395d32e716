"""Portal pages of the deals app; each area's view module contributes its own `urlpatterns`."""

from .views import protection

app_name = "deals"

urlpatterns = [
    *protection.urlpatterns,  # PROTECT: extension decisions and amendments
]
