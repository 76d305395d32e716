from django.urls import path

from .routers import ApiRouter
from .views import ApiTokenViewSet, MeView, TokenObtainView

router = ApiRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token", TokenObtainView.as_view(), name="auth-token"),
    path("me", MeView.as_view(), name="me"),
    *router.urls,
]
