from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from ..profile import PartnerType, Region, Vertical
from .partner import Partner, choices_array
from .programs import Program


class PartnerApplication(TenantOwned):
    """A company asking to join a program through the public "Become a partner" form."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications", db_index=False, verbose_name=_("program")
    )
    company_name = models.CharField(_("company name"), max_length=160)
    website = models.URLField(_("website"))
    domain = models.CharField(_("domain"), max_length=253)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    country = models.CharField(_("country"), max_length=2)
    types = choices_array(PartnerType.choices, _("partner types"))
    regions = choices_array(Region.choices, _("regions"))
    verticals = choices_array(Vertical.choices, _("verticals"))
    expected_annual_revenue = models.DecimalField(_("expected annual revenue"), max_digits=14, decimal_places=2)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    # Flags, not refusals: a manager decides whether the same domain is really the same company.
    duplicate_of_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("same domain as partner"),
    )
    duplicate_of_application = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("same domain as application"),
    )
    info_request = models.TextField(_("information requested"), blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
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
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        db_index=False,
        verbose_name=_("partner"),
    )
    submitted_from_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        indexes = [
            models.Index(fields=["tenant", "status", "created_at"], name="partners_app_status_idx"),
            models.Index(fields=["tenant", "domain"], name="partners_app_domain_idx"),
        ]

    def __str__(self) -> str:
        return self.company_name

    @property
    def is_flagged_duplicate(self) -> bool:
        return self.duplicate_of_partner_id is not None or self.duplicate_of_application_id is not None
