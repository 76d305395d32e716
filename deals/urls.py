"""Portal pages of the deals app; each area's view module contributes its own `urlpatterns`."""

from .views import deals as core_views

app_name = "deals"

urlpatterns = []
urlpatterns += core_views.urlpatterns  # core: registrations
