from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from prm.tenancy.context import current_tenant
from prm.tenancy.selectors import tenant_portal_url

from .models import Notification
from .selectors import unread_cache_key


def _forget_unread_counts(user_ids) -> None:
    """Drop the cached unread counts now and again after commit (a read in between may cache the old count)."""
    keys = [unread_cache_key(user_id) for user_id in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def notify(*, users: Iterable, title: str, body: str = "", url: str = "", email: bool = False) -> list[Notification]:
    """One notification per distinct user (None and duplicates skipped), in the tenant in context.

    With `email=True` each is also emailed (by a task, after commit) with a link to `url`.
    """
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, title=str(title)[:200], body=str(body), url=url))
    created = Notification.objects.bulk_create(rows)
    _forget_unread_counts(seen)
    if email and created:
        from .tasks import notification_email_send_task

        notification_email_send_task.delay_on_commit(
            tenant_id=current_tenant().pk, notification_ids=[row.pk for row in created]
        )
    return created


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark `user`'s unread notifications (or only `ids` of them) read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    changed = unread.update(read_at=timezone.now())
    if changed:
        _forget_unread_counts([user.pk])
    return changed


def notification_email_send(*, notification_ids: list[int]) -> int:
    """Email each notification to its user (active users with an address), in the tenant's language.
    Returns the number of emails sent."""
    tenant = current_tenant()
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("user").order_by("pk")
    portal = tenant_portal_url(tenant=tenant, path="")  # one host lookup for the whole batch
    sent = 0
    with translation.override(tenant.default_language):
        for notification in notifications:
            user = notification.user
            if not user.is_active or not user.email:
                continue
            path = notification.url or reverse("notifications:list")
            context = {"tenant": tenant, "notification": notification, "url": f"{portal}{path}"}
            body = render_to_string("notifications/email/notification_message.txt", context)
            send_mail(notification.title, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
    return sent
