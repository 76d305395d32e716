from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ApiTokenViewSet, MeView, TokenObtainView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token", TokenObtainView.as_view(), name="auth-token"),
    path("me", MeView.as_view(), name="me"),
    *router.urls,
]
