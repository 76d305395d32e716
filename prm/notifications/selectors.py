from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When

from prm.tenancy.context import current_tenant

from .models import Notification

# Long enough to spare the database on every page; writes drop the cached value anyway.
UNREAD_CACHE_SECONDS = 300


def notification_list(*, user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_inbox(*, user):
    """The inbox order: unread first, newest first within each."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Notification.objects.filter(user=user).order_by(unread_first, "-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{current_tenant().pk}:{user_id}"


def notification_unread_count_cached(*, user) -> int:
    """The unread count for the nav badge, from Redis when it can (no query on most pages)."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = notification_unread_count(user=user)
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
