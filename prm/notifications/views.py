"""The signed-in member's inbox: unread first, mark one or all read, open a notification's link."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prm.accounts.permissions import member_required
from prm.portal.views import is_htmx

from .selectors import notification_inbox, notification_list, notification_unread_count_cached
from .services import notifications_mark_read

PAGE_SIZE = 30


def unread_badge(request) -> int:
    """The nav badge: how many of the member's notifications are unread."""
    return notification_unread_count_cached(user=request.user)


@member_required
@require_GET
def notification_inbox_page(request):
    page = Paginator(notification_inbox(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": notification_unread_count_cached(user=request.user)}
    return render(request, "notifications/list.html", context)


@member_required
@require_POST
def notification_read(request, pk: int):
    """Mark one read; with `open`, go on to the notification's link."""
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    if is_htmx(request):
        notification.refresh_from_db()
        return render(request, "notifications/partials/row.html", {"n": notification})
    return redirect("notifications:list")


@member_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return redirect("notifications:list")
