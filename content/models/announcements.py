from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .audience import Targeted


class Announcement(Targeted, TenantOwned):
    """News from the vendor to its partners, targeted like content. A draft until `publish_at` is set; shown from
    `publish_at` until `expire_at` (if any), pinned ones first. With `send_email`, the audience is emailed once when
    it is published (`emailed_at` records it)."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))  # sanitised HTML, written through the services only
    is_pinned = models.BooleanField(_("pinned"), default=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expire_at = models.DateTimeField(_("expire at"), null=True, blank=True)
    send_email = models.BooleanField(_("email the audience"), default=False)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-is_pinned", "-publish_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expire_at__isnull=True)
                | models.Q(publish_at__isnull=False, expire_at__gt=models.F("publish_at")),
                name="content_announcement_expires_after_publish",
            )
        ]
        indexes = [models.Index(fields=["tenant", "publish_at", "expire_at"], name="content_announcement_live_idx")]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(TenantOwned):
    """A person has read an announcement (the feed marks the others unread)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement read")
        verbose_name_plural = _("announcements read")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "announcement"], name="content_announcement_read_unique")
        ]
