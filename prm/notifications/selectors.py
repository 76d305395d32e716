from .models import Notification


def notification_list(*, user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
