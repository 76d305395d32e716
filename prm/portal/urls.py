from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/team/", views.team, name="team"),
    path("settings/team/<int:pk>/role", views.member_role, name="member-role"),
    path("settings/team/<int:pk>/<slug:action>", views.member_action, name="member-action"),
    path("settings/portal/", views.portal_settings, name="settings"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke", views.token_revoke, name="token-revoke"),
    path("brand/logo", views.brand_logo, name="brand-logo"),
]
