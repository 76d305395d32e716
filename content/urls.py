"""Portal pages of the content app; each area's view module contributes its own `urlpatterns`."""

from .views import announcements, library, training

app_name = "content"

urlpatterns = [
    *library.urlpatterns,
    *training.urlpatterns,
    *announcements.urlpatterns,
]
