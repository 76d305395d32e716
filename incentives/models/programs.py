from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.profile import PartnerType, Region
from prm.tenancy.models import TenantOwned
from prm.tenancy.validators import validate_currency


class ProgramKind(models.TextChoices):
    REBATE = "rebate", _("Volume rebate")
    SPIF = "spif", _("SPIF")
    POINTS = "points", _("Activity points")
    REVENUE_SHARE = "revenue_share", _("Recurring revenue share")
    REGISTRATION_BONUS = "registration_bonus", _("Registration bonus")


class PeriodScheme(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    YEAR = "year", _("Annual")


class Unit(models.TextChoices):
    MONEY = "money", _("Money")
    POINTS = "points", _("Points")


class AwardTo(models.TextChoices):
    PARTNER = "partner", _("Partner company (group award)")
    REP = "rep", _("Partner rep (individual award)")


class IncentiveProgram(TenantOwned):
    """One incentive of the vendor's portfolio: who is eligible, when, and (in its rule versions) how it pays."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, db_index=False)
    kind = models.CharField(_("kind"), max_length=24, choices=ProgramKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    description = models.TextField(_("description"), blank=True)
    award_to = models.CharField(_("award to"), max_length=16, choices=AwardTo.choices, default=AwardTo.PARTNER)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency], help_text=_("Of money awards and the budget.")
    )
    period_scheme = models.CharField(
        _("periods"), max_length=8, choices=PeriodScheme.choices, default=PeriodScheme.QUARTER
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Optional cap on everything the program pays; a run that would pass it posts nothing."),
    )
    # Eligibility: an empty list means "any".
    eligible_program_ids = ArrayField(
        models.BigIntegerField(), default=list, blank=True, verbose_name=_("partner programs")
    )
    eligible_tier_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, verbose_name=_("tiers"))
    eligible_types = ArrayField(
        models.CharField(max_length=32, choices=PartnerType.choices),
        default=list,
        blank=True,
        verbose_name=_("partner types"),
    )
    eligible_regions = ArrayField(
        models.CharField(max_length=32, choices=Region.choices), default=list, blank=True, verbose_name=_("regions")
    )
    requires_opt_in = models.BooleanField(
        _("partners opt in"), default=False, help_text=_("Only partners who accepted the terms take part.")
    )
    terms = models.TextField(_("terms"), blank=True)
    # The vendor's channel account managers can earn alongside the partner: this share of every line,
    # awarded to the partner's channel manager (empty: they are not included).
    channel_manager_share_pct = models.DecimalField(
        _("channel manager share %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("incentive program")
        verbose_name_plural = _("incentive programs")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="inc_program_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="inc_program_window_valid",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "kind"], name="inc_program_status_idx")]

    def __str__(self) -> str:
        return self.name


class RuleVersion(TenantOwned):
    """The rules of a program from a period on. Never edited once a line used it: edits are new versions.

    `effective_from` is the first day of a period; a period is priced by the latest version effective on
    or before its first day. `params` is validated by `incentives.rules.validate_params` for the kind.
    """

    program = models.ForeignKey(
        IncentiveProgram, on_delete=models.CASCADE, related_name="rule_versions", db_index=False
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    params = models.JSONField(_("rules"))
    note = models.CharField(_("what changed"), max_length=240, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["program", "-version"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "program", "version"], name="inc_rule_version_unique"),
            models.UniqueConstraint(fields=["tenant", "program", "effective_from"], name="inc_rule_effective_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program} v{self.version}"


class Enrollment(TenantOwned):
    """A partner's opt-in to a program that requires it: who accepted the terms, and when."""

    program = models.ForeignKey(IncentiveProgram, on_delete=models.CASCADE, related_name="enrollments", db_index=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+", db_index=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)
    terms_accepted = models.TextField(_("terms accepted"), blank=True)

    class Meta:
        ordering = ["program", "partner"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["tenant", "program", "partner"], name="inc_enrollment_unique")]
