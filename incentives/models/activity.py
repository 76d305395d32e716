from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class ActivityEvent(TenantOwned):
    """An activity that earns points and has no other home: a demo a rep logged, a webinar attended.

    Activities other apps record (deals registered, courses completed …) stay in those apps and reach
    the points computation through the event-kind registry (`incentives.event_kinds`).
    """

    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("person")
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+", db_index=False)
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=240, blank=True)
    # Caller's own reference (a webinar id, a CRM activity id): the same one is recorded once.
    reference = models.CharField(_("reference"), max_length=120)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "user", "reference"], name="inc_activity_unique")
        ]
        indexes = [models.Index(fields=["tenant", "partner", "occurred_on"], name="inc_activity_partner_idx")]
