from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class Reward(TenantOwned):
    """An item of the vendor's rewards catalog, bought with points."""

    class Kind(models.TextChoices):
        GIFT_CARD = "gift_card", _("Gift card")
        EVENT_TICKET = "event_ticket", _("Event ticket")
        TRAINING_VOUCHER = "training_voucher", _("Training voucher")
        SWAG = "swag", _("Swag")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    points_cost = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1)])
    stock = models.PositiveIntegerField(_("in stock"), null=True, blank=True, help_text=_("Empty: unlimited."))
    eligible_tier_ids = ArrayField(
        models.BigIntegerField(),
        default=list,
        blank=True,
        verbose_name=_("tiers"),
        help_text=_("Empty: every tier."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "points_cost", "name"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        indexes = [models.Index(fields=["tenant", "is_active", "points_cost"], name="inc_reward_active_idx")]

    def __str__(self) -> str:
        return self.name


class Redemption(TenantOwned):
    """A rep's request to spend points on a reward; the points are debited at once and refunded on refusal."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        FULFILLED = "fulfilled", _("Fulfilled")
        REFUSED = "refused", _("Refused")

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("person")
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False)
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    note = models.TextField(_("note"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    decision_note = models.TextField(_("fulfilment note or reason"), blank=True)
    # Engagement signal: how long the points waited between earning the first unspent one and this request.
    points_age_days = models.PositiveIntegerField(_("days since points were earned"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        indexes = [
            models.Index(fields=["tenant", "status", "requested_at"], name="inc_redemption_status_idx"),
            models.Index(fields=["tenant", "user", "requested_at"], name="inc_redemption_user_idx"),
            # Per partner over a window: the engagement score counts each partner's redemptions.
            models.Index(fields=["tenant", "partner", "requested_at"], name="inc_redemption_partner_idx"),
        ]
