from collections.abc import Iterable

from django.utils import timezone

from .models import Notification


def notify(*, users: Iterable, title: str, body: str = "", url: str = "") -> list[Notification]:
    """One notification per distinct user (None and duplicates skipped), in the tenant in context."""
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, title=str(title)[:200], body=str(body), url=url))
    return Notification.objects.bulk_create(rows)


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark `user`'s unread notifications (or only `ids` of them) read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
