"""Portal pages of the partners app; each area's view module contributes its own `urlpatterns`."""

from .views import applications, company, directory, onboarding, plans, tiers

app_name = "partners"

urlpatterns = [
    *applications.urlpatterns,
    *onboarding.urlpatterns,
    *tiers.urlpatterns,
    *company.urlpatterns,
    *directory.urlpatterns,
    *plans.urlpatterns,
]
