"""URLs of the platform host (the bare PRM_BASE_DOMAIN): operators' admin only."""

from django.contrib import admin
from django.urls import include, path

from prm.ops.views import healthz
from prm.portal.views import platform_home

urlpatterns = [
    path("", platform_home, name="platform-home"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]
