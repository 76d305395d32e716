import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.accounts.models import Membership
from prm.tenancy.models import TenantOwned

from ..profile import Capability, CompanySize, PartnerType, Region, Vertical
from .programs import Agreement, Program, Tier


class PartnerStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    OFFBOARDED = "offboarded", _("Offboarded")


def partner_logo_path(instance: "Partner", filename: str) -> str:
    return f"partners/{instance.tenant_id}/logo-{uuid.uuid4().hex}"


def choices_array(base_field_choices, verbose_name):
    return ArrayField(
        models.CharField(max_length=32, choices=base_field_choices),
        default=list,
        blank=True,
        verbose_name=verbose_name,
    )


class Partner(TenantOwned):
    """A partner company working with the vendor, from application to offboarding."""

    name = models.CharField(_("name"), max_length=160)
    website = models.URLField(_("website"), blank=True)
    # Normalised from the website: `example.com`. Unique per vendor when set.
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. NL."))
    city = models.CharField(_("city"), max_length=120, blank=True)
    regions = choices_array(Region.choices, _("regions"))
    types = choices_array(PartnerType.choices, _("partner types"))
    verticals = choices_array(Vertical.choices, _("verticals"))
    capabilities = choices_array(Capability.choices, _("capabilities"))
    products_sold = models.TextField(_("products and solutions sold"), blank=True)
    other_vendor_programs = models.TextField(_("other vendor programs"), blank=True)
    business_model = models.CharField(_("business model"), max_length=160, blank=True)
    company_size = models.CharField(_("company size"), max_length=16, choices=CompanySize.choices, blank=True)
    logo = models.FileField(_("logo"), upload_to=partner_logo_path, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=PartnerStatus.choices, default=PartnerStatus.APPLICANT
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="partners", db_index=False, verbose_name=_("program")
    )
    tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        db_index=False,
        verbose_name=_("tier"),
    )
    channel_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("channel account manager"),
    )
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    onboarded_at = models.DateTimeField(_("onboarded"), null=True, blank=True)
    onboarding_reminded_at = models.DateTimeField(_("last onboarding reminder"), null=True, blank=True)

    # Tier evaluation state: when the partner first fell below its tier (grace period), and manual pins.
    below_tier_since = models.DateField(_("below tier criteria since"), null=True, blank=True)
    tier_pinned_until = models.DateField(_("tier pinned until"), null=True, blank=True)
    tier_pin_reason = models.CharField(_("tier pin reason"), max_length=240, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "domain"], condition=~models.Q(domain=""), name="partners_partner_domain_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "name"], name="partners_partner_name_idx"),
            models.Index(fields=["tenant", "status"], name="partners_partner_status_idx"),
            models.Index(fields=["tenant", "program", "tier"], name="partners_partner_tier_idx"),
            models.Index(fields=["tenant", "channel_manager"], name="partners_partner_manager_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerStatusChange(TenantOwned):
    """A dated lifecycle transition (append-only)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="status_changes", db_index=False, verbose_name=_("partner")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PartnerStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=PartnerStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["tenant", "partner", "changed_at"], name="partners_status_change_idx")]


class PartnerUser(TenantOwned):
    """Attaches a partner-role membership to its partner company. The membership is unique per
    (vendor, user), so one email belongs to at most one partner per vendor."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="people", db_index=False, verbose_name=_("partner")
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="partner_links", db_index=False, verbose_name=_("membership")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "membership__user__email"]
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "membership"], name="partners_puser_membership_unique")
        ]
        indexes = [models.Index(fields=["tenant", "partner"], name="partners_puser_partner_idx")]

    def __str__(self) -> str:
        return f"{self.membership.user} @ {self.partner}"


class AgreementAcceptance(TenantOwned):
    """Who accepted which agreement version for which partner, and when (append-only)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="acceptances", db_index=False, verbose_name=_("agreement")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="acceptances", db_index=False, verbose_name=_("partner")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("user")
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner", "agreement", "user"], name="partners_acceptance_unique"
            )
        ]
