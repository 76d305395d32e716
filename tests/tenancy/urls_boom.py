"""Tenant URLs plus views that fail or report the database session, for the RLS tests."""

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path


def boom(request):
    raise RuntimeError("view failed")


def session_state(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('prm.tenant_id', true), current_user, "
            "(SELECT array_agg(tenant_id ORDER BY tenant_id) FROM accounts_membership)"
        )
        tenant_setting, user, visible = cursor.fetchone()
    return JsonResponse({"setting": tenant_setting, "user": user, "visible_tenants": visible or []})


urlpatterns = [
    path("_test/boom", boom),
    path("_test/session", session_state),
    path("", include("prm.urls")),
]
