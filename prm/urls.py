"""URLs of a tenant host (`<slug>.<PRM_BASE_DOMAIN>` or a custom domain)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from prm.ops.views import healthz

urlpatterns = [
    path("", include("prm.portal.urls")),
    path("", include("partners.urls")),
    path("", include("deals.urls")),
    path("", include("incentives.urls")),
    path("", include("mdf.urls")),
    path("", include("content.urls")),
    path("notifications/", include("prm.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("prm.api.urls", "api"))),
    path("api/v1/", include(("partners.api.urls", "partners-api"))),
    path("api/v1/", include(("deals.api.urls", "deals-api"))),
    path("api/v1/", include(("incentives.api.urls", "incentives-api"))),
    path("api/v1/", include(("mdf.api.urls", "mdf-api"))),
    path("api/v1/", include(("content.api.urls", "content-api"))),
    path("api/v1/", include(("prm.notifications.api", "notifications-api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI injects inline styles; only this page allows them (no nonce: it would disable 'unsafe-inline').
    path(
        "api/docs/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]

handler404 = "prm.portal.views.not_found"
handler500 = "prm.portal.views.server_error"
