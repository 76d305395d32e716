"""Portal pages of the partners app; each area's view module contributes its own `urlpatterns`."""

from .views import applications

app_name = "partners"

urlpatterns = []
urlpatterns += applications.urlpatterns
