"""Portal pages of the partners app; each area's view module contributes its own `urlpatterns`."""

from .views import company, directory, plans

app_name = "partners"

urlpatterns = []
urlpatterns += [*company.urlpatterns, *directory.urlpatterns, *plans.urlpatterns]
