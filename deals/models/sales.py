from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned
from prm.tenancy.validators import validate_currency

from .catalog import Product
from .deals import Deal


class SaleRecord(TenantOwned):
    """Booked revenue of a partner: what rebates, tiers and leaderboards are computed from."""

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        RENEWAL = "renewal", _("Renewal")
        EXPANSION = "expansion", _("Expansion")
        ONE_TIME = "one_time", _("One-time")

    class Source(models.TextChoices):
        DEAL = "deal", _("Won deal")
        IMPORT = "import", _("Import")
        API = "api", _("API")

    external_id = models.CharField(_("external id"), max_length=120)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False)
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("rep"),
    )
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False)
    customer_name = models.CharField(_("customer"), max_length=200)
    customer_domain = models.CharField(_("customer domain"), max_length=253, blank=True)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    booked_on = models.DateField(_("booked on"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    term_months = models.PositiveIntegerField(
        _("term (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    recurring_amount = models.DecimalField(
        _("recurring amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-booked_on", "-id"]
        verbose_name = _("sale record")
        verbose_name_plural = _("sale records")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "external_id"], name="deals_sale_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "partner", "booked_on"], name="deals_sale_partner_idx"),
            models.Index(fields=["tenant", "booked_on"], name="deals_sale_booked_idx"),
            models.Index(fields=["tenant", "deal"], name="deals_sale_deal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.amount} {self.currency}"
