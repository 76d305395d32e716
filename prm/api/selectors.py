from django.db.models import QuerySet

from .models import ApiToken


def api_token_find(*, prefix: str) -> ApiToken | None:
    """The token with `prefix` at the tenant in context (another tenant's token is not found)."""
    return ApiToken.objects.filter(prefix=prefix).select_related("user").first()


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
