"""Portal pages of the deals app; each area's view module contributes its own `urlpatterns`."""

from .views import sales  # sales area

app_name = "deals"

urlpatterns = []

# --- sales: the sales pages ---
urlpatterns += sales.urlpatterns
