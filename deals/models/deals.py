from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned
from prm.tenancy.validators import validate_currency

from .catalog import HouseAccount, Product

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _user_fk(verbose_name, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=verbose_name,
        **kwargs,
    )


class DealRules(TenantOwned):
    """Rules of engagement of one partner program (defaults apply to programs without a row)."""

    class ConflictPolicy(models.TextChoices):
        FIRST_APPROVED_WINS = "first_approved_wins", _("The first approved registration wins")
        MANUAL_REVIEW = "manual_review", _("A channel manager decides")
        AUTO_REJECT_HOUSE = "auto_reject_house", _("Registrations of house accounts are rejected")

    program = models.ForeignKey(
        "partners.Program", on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("program")
    )
    protection_days = models.PositiveIntegerField(_("protection (days)"), default=90)
    review_sla_business_days = models.PositiveIntegerField(_("review within (business days)"), default=2)
    max_extensions = models.PositiveIntegerField(_("extensions allowed"), default=1)
    extension_days = models.PositiveIntegerField(_("days per extension"), default=30)
    registration_discount_pct = models.DecimalField(
        _("registration discount %"), max_digits=5, decimal_places=2, default=5, validators=PERCENT
    )
    conflict_policy = models.CharField(
        _("on a conflict"), max_length=24, choices=ConflictPolicy.choices, default=ConflictPolicy.MANUAL_REVIEW
    )

    class Meta:
        verbose_name = _("rules of engagement")
        verbose_name_plural = _("rules of engagement")
        constraints = [models.UniqueConstraint(fields=["tenant", "program"], name="deals_rules_program_unique")]


class DealStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    EXPIRED = "expired", _("Expired")


class DealSource(models.TextChoices):
    PARTNER_SOURCED = "partner_sourced", _("Partner-sourced")
    VENDOR_LEAD = "vendor_lead", _("Vendor lead")


class Deal(TenantOwned):
    """A registered opportunity: the vendor sees it early, the partner gets protection and a discount."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("partner")
    )
    registered_by = _user_fk(_("registered by"))
    status = models.CharField(_("status"), max_length=16, choices=DealStatus.choices, default=DealStatus.DRAFT)
    source = models.CharField(
        _("source"), max_length=16, choices=DealSource.choices, default=DealSource.PARTNER_SOURCED
    )
    lead = models.ForeignKey(
        "deals.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    customer_name = models.CharField(_("customer"), max_length=200)
    # Lower-cased, punctuation and legal suffixes removed (deals.rules.normalise_company_name): what is matched.
    customer_name_normalised = models.CharField(_("normalised customer name"), max_length=200, editable=False)
    customer_domain = models.CharField(_("customer domain"), max_length=253, blank=True)
    country = models.CharField(_("country"), max_length=2)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    expected_close_date = models.DateField(_("expected close date"))
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    notes = models.TextField(_("notes"), blank=True)

    # Manager-approved special pricing, applied on top of the registration discount (never instead of it).
    special_discount_pct = models.DecimalField(
        _("special pricing discount %"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = _user_fk(_("decided by"))
    decision_reason = models.TextField(_("decision reason"), blank=True)
    protected_until = models.DateField(_("protected until"), null=True, blank=True)
    extensions_used = models.PositiveSmallIntegerField(_("extensions used"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_amount = models.DecimalField(_("won amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deal registration")
        verbose_name_plural = _("deal registrations")
        indexes = [
            models.Index(fields=["tenant", "partner", "status", "created_at"], name="deals_deal_partner_idx"),
            models.Index(fields=["tenant", "status", "submitted_at"], name="deals_deal_status_idx"),
            models.Index(fields=["tenant", "registered_by", "created_at"], name="deals_deal_rep_idx"),
            models.Index(fields=["tenant", "customer_domain"], name="deals_deal_domain_idx"),
            models.Index(fields=["tenant", "status", "protected_until"], name="deals_deal_protection_idx"),
            # What leads became (a lead's deal, MDF campaign ROI): only the registrations made from a lead.
            models.Index(fields=["tenant", "lead"], name="deals_deal_lead_idx", condition=models.Q(lead__isnull=False)),
            # Fuzzy customer-name matching (pg_trgm), tenant first via btree_gin. Only the registrations that
            # still claim their customer (deals.selectors.conflicts.OPEN_STATUSES): a seventh of the rows, and
            # 5-10x faster conflict checks at 1,000,000 registrations (bench/README.md, conflict_check).
            GinIndex(
                fields=["tenant", "customer_name_normalised"],
                opclasses=["int8_ops", "gin_trgm_ops"],
                condition=models.Q(status__in=[DealStatus.SUBMITTED, DealStatus.APPROVED]),
                name="deals_deal_trgm_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_name} ({self.get_status_display()})"


class DealLine(TenantOwned):
    """A product on a deal; optional at submission, required to close it as won."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", db_index=False)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # The list price per unit when the line was written (the catalog may change later).
    unit_list_price = models.DecimalField(_("unit list price"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["deal", "id"]
        verbose_name = _("deal line")
        verbose_name_plural = _("deal lines")
        indexes = [models.Index(fields=["tenant", "deal"], name="deals_line_deal_idx")]


class DealConflict(TenantOwned):
    """A possible clash found for a deal: another partner's registration or a house account, with evidence."""

    class MatchedOn(models.TextChoices):
        DOMAIN = "domain", _("Same customer domain")
        NAME = "name", _("Similar company name")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="conflicts", db_index=False)
    other_deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    house_account = models.ForeignKey(
        HouseAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    matched_on = models.CharField(_("matched on"), max_length=16, choices=MatchedOn.choices)
    score = models.DecimalField(_("similarity"), max_digits=4, decimal_places=3)
    detected_at = models.DateTimeField(_("detected"), auto_now_add=True)

    class Meta:
        ordering = ["deal", "-score"]
        verbose_name = _("deal conflict")
        verbose_name_plural = _("deal conflicts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(other_deal__isnull=True) ^ models.Q(house_account__isnull=True),
                name="deals_conflict_one_target",
            ),
            models.UniqueConstraint(
                fields=["tenant", "deal", "other_deal"],
                condition=models.Q(other_deal__isnull=False),
                name="deals_conflict_deal_unique",
            ),
            models.UniqueConstraint(
                fields=["tenant", "deal", "house_account"],
                condition=models.Q(house_account__isnull=False),
                name="deals_conflict_house_unique",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "deal"], name="deals_conflict_deal_idx")]


class DealEvent(TenantOwned):
    """The deal's history (append-only): transitions, amendments with before/after, extension decisions."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(_("kind"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16, choices=DealStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=DealStatus.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    actor = _user_fk(_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["deal", "created_at", "id"]
        verbose_name = _("deal event")
        verbose_name_plural = _("deal events")
        indexes = [models.Index(fields=["tenant", "deal", "created_at"], name="deals_event_deal_idx")]


class ExtensionRequest(TenantOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="extension_requests", db_index=False)
    requested_by = _user_fk(_("requested by"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = _user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "deal"], condition=models.Q(status="pending"), name="deals_extension_one_pending"
            )
        ]
        indexes = [models.Index(fields=["tenant", "status", "created_at"], name="deals_extension_status_idx")]


class ProtectionReminder(TenantOwned):
    """One reminder sent before protection ends; unique per deal, protection end and lead time (idempotent)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="+", db_index=False)
    protected_until = models.DateField(_("protected until"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("protection reminder")
        verbose_name_plural = _("protection reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "deal", "protected_until", "days_before"], name="deals_reminder_unique"
            )
        ]
