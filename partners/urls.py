"""Portal pages of the partners app; each area's view module contributes its own `urlpatterns`."""

from .views import tiers as tier_views

app_name = "partners"

urlpatterns = []
urlpatterns += tier_views.urlpatterns
