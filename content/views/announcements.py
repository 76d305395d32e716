"""Portal pages: announcements. A partner's users read the feed meant for their company (pinned first, unread
marked; opening one marks it read) and see the latest on their home page; vendor staff list every announcement
with its state and how many people read it, and managers write, publish, schedule and pin them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError
from prm.portal.views import form_error_fields, is_htmx

from ..forms.announcements import AnnouncementForm
from ..selectors import (
    announcement_feed,
    announcement_unread_count,
    announcements_visible_to,
    with_read_counts,
    with_state,
    with_unread,
)
from ..services import (
    announcement_create,
    announcement_mark_read,
    announcement_pin,
    announcement_publish,
    announcement_unpin,
    announcement_unpublish,
    announcement_update,
    announcements_mark_all_read,
)

PAGE_SIZE = 20
PANEL_SIZE = 5
VIEW_ALL, MANAGE, USE = "content.view_all", "content.manage", "content.use"


@member_required
@require_GET
def announcement_list(request):
    if request_can(request, VIEW_ALL):
        rows = with_read_counts(announcements_visible_to(request)).select_related("created_by")
        page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_state(page.object_list)
        context = {"page": page, "vendor": True, "can_manage": request_can(request, MANAGE)}
        return render(request, "content/announcements/list.html", context)
    if not request_can(request, USE):
        raise PermissionDenied
    page = Paginator(announcement_feed(request), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "vendor": False, "unread": announcement_unread_count(request)}
    return render(request, "content/announcements/list.html", context)


def _visible(request, pk: int):
    return get_object_or_404(with_unread(announcements_visible_to(request), user=request.user), pk=pk)


@member_required
@require_GET
def announcement_detail(request, pk: int):
    """Opening an announcement marks it read for a partner's user."""
    announcement = _visible(request, pk)
    vendor = request_can(request, VIEW_ALL)
    if not vendor and announcement.is_unread:
        announcement_mark_read(user=request.user, announcement=announcement)
    context = {"announcement": announcement, "vendor": vendor, "can_manage": request_can(request, MANAGE)}
    if vendor:
        announcement = with_read_counts(announcements_visible_to(request)).get(pk=pk)
        context |= {"read_count": announcement.read_count, "state": with_state([announcement])[0].state}
    return render(request, "content/announcements/detail.html", context)


@capability_required(USE)
@require_POST
def announcement_read(request, pk: int):
    announcement = _visible(request, pk)
    announcement_mark_read(user=request.user, announcement=announcement)
    if is_htmx(request):
        announcement.is_unread = False
        return render(request, "content/announcements/partials/feed_item.html", {"item": announcement})
    return redirect("content:announcement-list")


@capability_required(USE)
@require_POST
def announcement_read_all(request):
    marked = announcements_mark_all_read(user=request.user, announcements=announcements_visible_to(request))
    if marked:
        messages.success(request, _("All announcements are marked read."))
    return redirect("content:announcement-list")


def _form_page(request, form, announcement, save):
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = save(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form_error_fields(form, error)
                status = error.status
            else:
                messages.success(request, _("The announcement was saved."))
                return redirect("content:announcement-detail", pk=saved.pk)
    context = {"form": form, "announcement": announcement}
    return render(request, "content/announcements/form.html", context, status=status)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    form = AnnouncementForm(request.POST or None)
    return _form_page(request, form, None, announcement_create)


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def announcement_edit(request, pk: int):
    announcement = _visible(request, pk)
    form = AnnouncementForm(request.POST or None, announcement=announcement)
    return _form_page(
        request, form, announcement, lambda **values: announcement_update(announcement=announcement, **values)
    )


ACTIONS = {
    "publish": (announcement_publish, lambda: _("The announcement is published.")),
    "unpublish": (announcement_unpublish, lambda: _("The announcement is a draft again.")),
    "pin": (announcement_pin, lambda: _("The announcement is pinned.")),
    "unpin": (announcement_unpin, lambda: _("The announcement is no longer pinned.")),
}


@capability_required(MANAGE)
@require_POST
def announcement_action(request, pk: int, action: str):
    """Publish now, or at the `at` time given (a schedule); back to draft; pin; unpin."""
    announcement = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    extra = {}
    if action == "publish" and request.POST.get("at"):
        field = AnnouncementForm.base_fields["publish_at"]
        try:
            extra["at"] = field.clean(request.POST["at"])
        except ValidationError:
            messages.error(request, _("Give the publication time as a date and a time."))
            return redirect("content:announcement-detail", pk=pk)
    try:
        service(actor=request.user, announcement=announcement, **extra)
    except DomainError as error:
        messages.error(request, " ".join([error.message, *(m for ms in error.fields.values() for m in ms)]))
    else:
        messages.success(request, done())
    return redirect("content:announcement-detail", pk=pk)


def news_panel(request) -> dict:
    """The partner home page's news: the latest few (pinned first, unread marked) and the unread count."""
    return {"items": list(announcement_feed(request)[:PANEL_SIZE]), "unread": announcement_unread_count(request)}


urlpatterns = [
    path("announcements/", announcement_list, name="announcement-list"),
    path("announcements/new", announcement_new, name="announcement-new"),
    path("announcements/read-all", announcement_read_all, name="announcement-read-all"),
    path("announcements/<int:pk>/", announcement_detail, name="announcement-detail"),
    path("announcements/<int:pk>/edit", announcement_edit, name="announcement-edit"),
    path("announcements/<int:pk>/read", announcement_read, name="announcement-read"),
    path("announcements/<int:pk>/<slug:action>", announcement_action, name="announcement-action"),
]
