import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned
from prm.tenancy.validators import validate_currency


def default_reminder_days() -> list[int]:
    return [15, 5, 1]


class Fund(TenantOwned):
    """The vendor's MDF budget for one period (a quarter, a half or a year), in one currency."""

    class Scheme(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        HALF = "half", _("Half year")
        YEAR = "year", _("Year")

    name = models.CharField(_("name"), max_length=120)
    scheme = models.CharField(_("period"), max_length=8, choices=Scheme.choices, default=Scheme.QUARTER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    # Unused allocations expire this many days after the period ends (generous by default: short
    # "use it or lose it" windows are why MDF goes unused), with reminders before.
    expiry_days_after_end = models.PositiveIntegerField(_("allocations expire (days after the period)"), default=60)
    reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("remind (days before a deadline)"),
        default=default_reminder_days,
        blank=True,
    )
    claim_window_days = models.PositiveIntegerField(
        _("claim within (days after the activity)"), default=60, validators=[MinValueValidator(1)]
    )
    review_sla_business_days = models.PositiveIntegerField(_("review requests within (business days)"), default=2)
    # Partners of this tier get allocations at the period start from their tier's MDF benefit.
    allocate_by_tier = models.BooleanField(_("allocate by tier at period start"), default=True)
    coop_accrual_pct = models.DecimalField(
        _("co-op accrual (percent of last period's revenue)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="mdf_fund_dates"),
            models.UniqueConstraint(fields=["tenant", "name"], name="mdf_fund_name_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "starts_on"], name="mdf_fund_period_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def expires_on(self) -> datetime.date:
        """The day unused allocations expire (they are usable through the day before)."""
        return self.ends_on + datetime.timedelta(days=self.expiry_days_after_end)


class Allocation(TenantOwned):
    """Part of a fund given to one partner, by one route (tier benefit, by hand, co-op accrual)."""

    class Source(models.TextChoices):
        TIER = "tier", _("Tier benefit")
        MANUAL = "manual", _("By hand")
        COOP = "coop", _("Co-op accrual")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations", db_index=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    # What expired unused (set once, by the expiry); it returns to the fund.
    expired_amount = models.DecimalField(_("expired"), max_digits=14, decimal_places=2, default=0)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=240, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["fund", "partner", "source"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "fund", "partner", "source"], name="mdf_allocation_unique"),
            models.CheckConstraint(
                condition=models.Q(expired_amount__gte=0) & models.Q(expired_amount__lte=models.F("amount")),
                name="mdf_allocation_expired_range",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "fund"], name="mdf_allocation_partner_idx")]

    def __str__(self) -> str:
        return f"{self.fund} · {self.partner} · {self.amount}"
