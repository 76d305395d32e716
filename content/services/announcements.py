"""Writes of announcements: drafts (text sanitised, audience limited to the vendor's own programs and tiers),
publication now or at a time, back to draft, pinning, read markers, and the one email to the audience when an
announcement goes live (a conditional UPDATE claims it, so a rerun sends nothing)."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from partners.selectors import unknown_program_and_tier_errors
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.notifications.services import notify
from prm.tenancy.context import current_tenant

from ..announcement_rules import AnnouncementState, announcement_state, window_errors
from ..models import Announcement, AnnouncementRead
from ..sanitise import sanitise_article
from ..selectors.announcements import announcement_audience_users, announcements_due_email, live_condition

ANNOUNCEMENT_FIELDS = (
    "title", "body", "is_pinned", "send_email", "publish_at", "expire_at",
    "visible_program_ids", "visible_tier_ids", "visible_types", "visible_regions",
)  # fmt: skip
EMAIL_EXCERPT_WORDS = 60


def _window_messages(announcement: Announcement) -> dict[str, list[str]]:
    messages = {
        "needs_publish_at": _("Only a published or scheduled announcement can expire: set when to publish it."),
        "before_publish_at": _("The expiry must come after the publication."),
    }
    problems = window_errors(publish_at=announcement.publish_at, expire_at=announcement.expire_at)
    return {field: [messages[code]] for field, code in problems.items()}


def _checked(announcement: Announcement) -> None:
    errors: dict[str, list[str]] = {}
    announcement.title = (announcement.title or "").strip()
    announcement.body = sanitise_article(announcement.body)
    if not announcement.title:
        errors["title"] = [_("Give the announcement a title.")]
    elif len(announcement.title) > Announcement._meta.get_field("title").max_length:
        errors["title"] = [_("Keep the title to 200 characters.")]
    if not announcement.body:
        errors["body"] = [_("Write the announcement.")]
    errors |= _window_messages(announcement)
    errors |= unknown_program_and_tier_errors(
        program_ids=announcement.visible_program_ids,
        tier_ids=announcement.visible_tier_ids,
        program_field="visible_program_ids",
        tier_field="visible_tier_ids",
    )
    if errors:
        raise InvalidInput.on_fields(errors)


def _state(announcement: Announcement) -> AnnouncementState:
    return announcement_state(publish_at=announcement.publish_at, expire_at=announcement.expire_at, now=timezone.now())


def _email_when_live(announcement: Announcement) -> None:
    """Live now and to be emailed: send it after commit (a scheduled one is sent by the beat sweep)."""
    if announcement.send_email and announcement.emailed_at is None and _state(announcement) == AnnouncementState.LIVE:
        from ..tasks.announcements import announcement_email_send_task

        announcement_email_send_task.delay_on_commit(tenant_id=current_tenant().pk, announcement_id=announcement.pk)


@transaction.atomic
def announcement_create(*, actor, **values) -> Announcement:
    """A draft unless `publish_at` is given (then scheduled, or live when it is not in the future)."""
    announcement = Announcement(
        created_by=actor, **{key: value for key, value in values.items() if key in ANNOUNCEMENT_FIELDS}
    )
    _checked(announcement)
    announcement.save()
    audit_record(action="content.announcement_create", actor=actor, obj=announcement)
    _email_when_live(announcement)
    return announcement


@transaction.atomic
def announcement_update(*, actor, announcement: Announcement, **values) -> Announcement:
    """Change an announcement's text, audience, pin, email or window (only the values given)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    changes = {key: value for key, value in values.items() if key in ANNOUNCEMENT_FIELDS}
    before = {key: str(getattr(announcement, key)) for key in changes}
    for key, value in changes.items():
        setattr(announcement, key, value)
    _checked(announcement)
    announcement.save()
    audit_record(
        action="content.announcement_update",
        actor=actor,
        obj=announcement,
        changes={
            key: [before[key], str(getattr(announcement, key))]
            for key in changes
            if before[key] != str(getattr(announcement, key))
        },
    )
    _email_when_live(announcement)
    return announcement


@transaction.atomic
def announcement_publish(*, actor, announcement: Announcement, at: datetime | None = None) -> Announcement:
    """Publish a draft or a scheduled announcement now, or schedule it for `at` (409 when live or expired)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    state = _state(announcement)
    if state not in (AnnouncementState.DRAFT, AnnouncementState.SCHEDULED):
        message = {
            AnnouncementState.LIVE: _("This announcement is live already."),
            AnnouncementState.EXPIRED: _("This announcement has expired: take it back to a draft first."),
        }[state]
        raise StateConflict(message, current_state=state)
    announcement.publish_at = at or timezone.now()
    errors = _window_messages(announcement)
    if errors:
        raise InvalidInput.on_fields(
            {"publish_at" if key == "expire_at" else key: value for key, value in errors.items()}
        )
    announcement.save(update_fields=["publish_at", "updated_at"])
    audit_record(
        action="content.announcement_publish",
        actor=actor,
        obj=announcement,
        context={"publish_at": announcement.publish_at.isoformat()},
    )
    _email_when_live(announcement)
    return announcement


@transaction.atomic
def announcement_unpublish(*, actor, announcement: Announcement) -> Announcement:
    """Back to a draft: no longer shown, its publication and expiry cleared (409 for a draft). Its email, if it
    was sent, is not sent again when it is published again."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    state = _state(announcement)
    if state == AnnouncementState.DRAFT:
        raise StateConflict(_("This announcement is a draft already."), current_state=state)
    announcement.publish_at = announcement.expire_at = None
    announcement.save(update_fields=["publish_at", "expire_at", "updated_at"])
    audit_record(action="content.announcement_unpublish", actor=actor, obj=announcement, context={"was": state})
    return announcement


def _set_pinned(actor, announcement: Announcement, pinned: bool) -> Announcement:
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_pinned != pinned:
        announcement.is_pinned = pinned
        announcement.save(update_fields=["is_pinned", "updated_at"])
        audit_record(action=f"content.announcement_{'pin' if pinned else 'unpin'}", actor=actor, obj=announcement)
    return announcement


@transaction.atomic
def announcement_pin(*, actor, announcement: Announcement) -> Announcement:
    return _set_pinned(actor, announcement, True)


@transaction.atomic
def announcement_unpin(*, actor, announcement: Announcement) -> Announcement:
    return _set_pinned(actor, announcement, False)


def announcement_mark_read(*, user, announcement: Announcement) -> None:
    """`user` has read `announcement` (a second time changes nothing: INSERT … ON CONFLICT DO NOTHING)."""
    AnnouncementRead.objects.bulk_create(
        [AnnouncementRead(user=user, announcement=announcement)], ignore_conflicts=True
    )


def announcements_mark_all_read(*, user, announcements: QuerySet[Announcement]) -> int:
    """Mark every announcement of `announcements` (the reader's feed) read; returns how many were unread."""
    unread = list(
        announcements.exclude(pk__in=AnnouncementRead.objects.filter(user=user).values("announcement_id"))
        .order_by()
        .values_list("pk", flat=True)
    )
    rows = [AnnouncementRead(user=user, announcement_id=pk) for pk in unread]
    AnnouncementRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(unread)


@transaction.atomic
def announcement_email_send(*, announcement_id: int) -> int:
    """Email and notify the audience of a live announcement that asks for it, once: `emailed_at` is claimed by a
    conditional UPDATE, so a second run (a retry, a sweep racing the publication) sends nothing. Returns how many
    people it went to."""
    now = timezone.now()
    claimed = Announcement.objects.filter(
        live_condition(now), pk=announcement_id, send_email=True, emailed_at__isnull=True
    ).update(emailed_at=now)
    if not claimed:
        return 0
    announcement = Announcement.objects.get(pk=announcement_id)
    users = list(announcement_audience_users(announcement))
    excerpt = Truncator(strip_tags(announcement.body)).words(EMAIL_EXCERPT_WORDS)
    notify(
        users=users,
        title=announcement.title,
        body=excerpt,
        url=reverse("content:announcement-detail", args=[announcement.pk]),
        email=True,
    )
    audit_record(action="content.announcement_email", obj=announcement, context={"recipients": len(users)})
    return len(users)


def announcements_due_send() -> list[int]:
    """Enqueue the email of every live announcement not emailed yet (scheduled ones whose time came); the send
    claims each once, so overlapping sweeps are harmless."""
    from ..tasks.announcements import announcement_email_send_task

    due = list(announcements_due_email().order_by("pk").values_list("pk", flat=True))
    tenant_id = current_tenant().pk
    for pk in due:
        announcement_email_send_task.delay_on_commit(tenant_id=tenant_id, announcement_id=pk)
    return due
