from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned
from prm.tenancy.validators import validate_currency


class Product(TenantOwned):
    """An item of the vendor's price list."""

    class Billing(models.TextChoices):
        ONE_TIME = "one_time", _("One-time")
        RECURRING = "recurring", _("Recurring")

    class Period(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        YEAR = "year", _("Yearly")

    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=160)
    family = models.CharField(_("product family"), max_length=80, blank=True)
    list_price = models.DecimalField(
        _("list price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    billing = models.CharField(_("billing"), max_length=16, choices=Billing.choices, default=Billing.ONE_TIME)
    billing_period = models.CharField(_("billing period"), max_length=16, choices=Period.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["family", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint("tenant", Lower("sku"), name="deals_product_sku_unique"),
            models.CheckConstraint(
                condition=(models.Q(billing="recurring") & ~models.Q(billing_period=""))
                | (models.Q(billing="one_time") & models.Q(billing_period="")),
                name="deals_product_recurring_has_period",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "family", "name"], name="deals_product_family_idx")]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"


class HouseAccount(TenantOwned):
    """A customer the vendor's direct sales team owns; partner registrations against it are conflicts."""

    company_name = models.CharField(_("company name"), max_length=200)
    # Lower-cased, punctuation and legal suffixes removed (deals.rules.normalise_company_name): what is matched.
    name_normalised = models.CharField(_("normalised name"), max_length=200, editable=False)
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    owner_name = models.CharField(_("account owner"), max_length=150, blank=True)
    owner_email = models.EmailField(_("account owner email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["company_name"]
        verbose_name = _("house account")
        verbose_name_plural = _("house accounts")
        indexes = [
            models.Index(fields=["tenant", "domain"], name="deals_house_domain_idx"),
            models.Index(fields=["tenant", "company_name"], name="deals_house_name_idx"),
            # Fuzzy name matching (pg_trgm), tenant first via btree_gin.
            GinIndex(
                fields=["tenant", "name_normalised"],
                opclasses=["int8_ops", "gin_trgm_ops"],
                name="deals_house_trgm_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.company_name
