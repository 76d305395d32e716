from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned


class Lead(TenantOwned):
    """A prospect the vendor passes to a partner, who accepts or rejects it within the SLA."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        CONVERTED = "converted", _("Converted")
        CLOSED = "closed", _("Closed")

    company_name = models.CharField(_("company"), max_length=200)
    company_domain = models.CharField(_("company domain"), max_length=253, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=32, blank=True)
    vertical = models.CharField(_("vertical"), max_length=32, blank=True)
    capability = models.CharField(_("capability needed"), max_length=32, blank=True)
    need = models.TextField(_("need"), blank=True)
    source_campaign = models.CharField(_("source campaign"), max_length=160, blank=True)
    # What the prospect looked at before asking (content viewed, pages visited …): context for the partner.
    context_notes = models.TextField(_("context"), blank=True)
    estimated_value = models.DecimalField(_("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("partner"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    accept_due_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    first_action_at = models.DateTimeField(_("first action"), null=True, blank=True)
    sla_flagged_at = models.DateTimeField(_("SLA missed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["tenant", "status", "accept_due_at"], name="deals_lead_status_idx"),
            models.Index(fields=["tenant", "partner", "status"], name="deals_lead_partner_idx"),
        ]

    def __str__(self) -> str:
        return self.company_name


class LeadAssignment(TenantOwned):
    """Each time a lead is offered to a partner: how it was chosen (factors) and how it ended."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("By hand")
        MATCHED = "matched", _("Matched")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("SLA missed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    # {"factor": {"value": …, "points": …}, …, "total": …} as shown to the manager.
    factors = models.JSONField(_("match factors"), default=dict, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["lead", "assigned_at"]
        verbose_name = _("lead assignment")
        verbose_name_plural = _("lead assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "lead"], condition=models.Q(outcome="open"), name="deals_assignment_one_open"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "lead", "assigned_at"], name="deals_assignment_lead_idx"),
            models.Index(fields=["tenant", "partner", "assigned_at"], name="deals_assignment_partner_idx"),
        ]
