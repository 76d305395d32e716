from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .partner import Partner
from .programs import Tier


class TierChange(TenantOwned):
    """A tier move with its cause: evaluation (with the metric values behind it) or a manager's pin."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", _("Promotion")
        DEMOTION = "demotion", _("Demotion")
        MANUAL = "manual", _("Manual")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        PENDING = "pending", _("Awaiting approval")
        REJECTED = "rejected", _("Rejected")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="tier_changes", db_index=False, verbose_name=_("partner")
    )
    from_tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False, verbose_name=_("from")
    )
    to_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("to"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    reason = models.TextField(_("reason"))
    # {"metric key": "value as decimal string", …} at evaluation time.
    metric_values = models.JSONField(_("metric values"), default=dict, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        constraints = [
            # At most one pending request per partner; reruns cannot pile them up.
            models.UniqueConstraint(
                fields=["tenant", "partner"],
                condition=models.Q(status="pending"),
                name="partners_tierchange_one_pending",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "partner", "created_at"], name="partners_tchange_partner_idx"),
            models.Index(fields=["tenant", "created_at"], name="partners_tchange_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_tier} → {self.to_tier}"


class TierEvaluationRun(TenantOwned):
    """What has run: one evaluation per vendor per day (the task guards on this row)."""

    run_on = models.DateField(_("run on"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    partners_evaluated = models.PositiveIntegerField(_("partners evaluated"), default=0)
    changes = models.PositiveIntegerField(_("changes"), default=0)

    class Meta:
        ordering = ["-run_on"]
        verbose_name = _("tier evaluation run")
        verbose_name_plural = _("tier evaluation runs")
        constraints = [models.UniqueConstraint(fields=["tenant", "run_on"], name="partners_tier_run_day_unique")]
