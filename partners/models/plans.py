from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .partner import Partner


class BusinessPlan(TenantOwned):
    """A joint business plan for one partner and period."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="business_plans", db_index=False, verbose_name=_("partner")
    )
    title = models.CharField(_("title"), max_length=160)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "-period_start"]
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "period_start"], name="partners_plan_period_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="partners_plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BusinessPlanGoal(TenantOwned):
    """A target on a registered metric; progress is read from the same metric registry as tiers."""

    plan = models.ForeignKey(
        BusinessPlan, on_delete=models.CASCADE, related_name="goals", db_index=False, verbose_name=_("plan")
    )
    metric = models.CharField(_("metric"), max_length=64)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=240, blank=True)

    class Meta:
        ordering = ["plan", "metric"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["tenant", "plan", "metric"], name="partners_goal_metric_unique")]


class QbrNote(TenantOwned):
    """What was said at a quarterly business review."""

    plan = models.ForeignKey(
        BusinessPlan, on_delete=models.CASCADE, related_name="qbr_notes", db_index=False, verbose_name=_("plan")
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-held_on"]
        verbose_name = _("QBR note")
        verbose_name_plural = _("QBR notes")
        indexes = [models.Index(fields=["tenant", "plan", "held_on"], name="partners_qbr_plan_idx")]
