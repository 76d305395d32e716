from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class AuditEvent(TenantOwned):
    """One state change. Append-only: the database refuses UPDATE and DELETE."""

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # PROTECT: a user with history is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("actor account"),
    )
    actor_label = models.CharField(_("actor"), max_length=254)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # Ascending: time-ordered inserts fill its pages (a descending index splits them half-empty),
            # and a backward scan serves ORDER BY created_at DESC, id DESC just as well.
            models.Index(fields=["tenant", "created_at", "id"], name="audit_event_recent_idx"),
            models.Index(fields=["tenant", "content_type", "object_id"], name="audit_event_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"
