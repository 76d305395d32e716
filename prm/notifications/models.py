from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class Notification(TenantOwned):
    """Something a member should see in the portal: what happened and where to look."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("user")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["tenant", "user", "created_at"], name="notif_user_recent_idx"),
            models.Index(
                fields=["tenant", "user"], condition=models.Q(read_at__isnull=True), name="notif_user_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title
