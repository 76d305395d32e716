"""Portal pages of the deals app; each area's view module contributes its own `urlpatterns`."""

app_name = "deals"

urlpatterns = []

# leads
from .views import leads as lead_views  # noqa: E402

urlpatterns += lead_views.urlpatterns
