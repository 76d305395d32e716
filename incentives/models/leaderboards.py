from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class IncentiveSettings(TenantOwned):
    """Per-vendor settings of the incentives area (one row per tenant, created on first use)."""

    leaderboard_published = models.BooleanField(_("publish the top 10 to partners"), default=False)
    leaderboard_show_names = models.BooleanField(
        _("show other partners' names"),
        default=False,
        help_text=_("Otherwise partners see others as “Partner #3”; a partner always sees its own name and rank."),
    )
    close_after_days = models.PositiveIntegerField(
        _("days after period end before the final run"),
        default=5,
        help_text=_("Late sales booked in this grace period still count; then the period is closed."),
    )
    points_expiry_months = models.PositiveIntegerField(_("points expire after (months)"), default=12)

    class Meta:
        verbose_name = _("incentive settings")
        verbose_name_plural = _("incentive settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="inc_settings_unique")]


class LeaderboardSnapshot(TenantOwned):
    """One ranked row of a leaderboard, precomputed per (period, metric, scope) so pages read, never aggregate."""

    class Scope(models.TextChoices):
        PARTNER = "partner", _("Partners")
        REP = "rep", _("Reps")

    period = models.CharField(_("period"), max_length=10)
    metric = models.CharField(_("metric"), max_length=40)
    scope = models.CharField(_("by"), max_length=8, choices=Scope.choices)
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    # The partner's segment when the snapshot was taken, for the filters.
    program_id_at = models.BigIntegerField(null=True, blank=True)
    tier_id_at = models.BigIntegerField(null=True, blank=True)
    regions_at = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed"))

    class Meta:
        ordering = ["period", "metric", "scope", "rank"]
        verbose_name = _("leaderboard row")
        verbose_name_plural = _("leaderboard rows")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "period", "metric", "scope", "partner", "user"],
                nulls_distinct=False,
                name="inc_leaderboard_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["tenant", "period", "metric", "scope", "rank"],
                include=["value", "partner", "user", "program_id_at", "tier_id_at"],
                name="inc_leaderboard_rank_idx",
            ),
        ]
