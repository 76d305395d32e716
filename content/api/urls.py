"""API routes of the content app; each area's module registers its viewsets on the one router."""

from prm.api.routers import ApiRouter

from . import announcements, library, training

router = ApiRouter()
library.register(router)
training.register(router)
announcements.register(router)

urlpatterns = [
    *library.urlpatterns,
    *training.urlpatterns,
    *announcements.urlpatterns,
    *router.urls,
]
