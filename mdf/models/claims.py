from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .funds import Allocation
from .requests import MdfRequest, ProofKind


class MdfClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PARTIALLY_APPROVED = "partially_approved", _("Partially approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for changes")
    PAID = "paid", _("Paid")


# A claim the partner is still preparing (it claims nothing yet); an approved one, owed until its payout is paid.
OPEN_CLAIM_STATUSES = (MdfClaimStatus.DRAFT, MdfClaimStatus.RETURNED)
APPROVED_CLAIM_STATUSES = (MdfClaimStatus.APPROVED, MdfClaimStatus.PARTIALLY_APPROVED)


class MdfClaim(TenantOwned):
    """After the activity, the partner claims the reimbursement of a pre-approved request with proof of
    performance. One claim per request; an approved claim posts a reimbursement line to the incentives ledger,
    which is paid through the incentives payouts."""

    request = models.ForeignKey(MdfRequest, on_delete=models.PROTECT, related_name="claims", db_index=False)
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="claims", db_index=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    actual_cost = models.DecimalField(
        _("actual cost"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(
        _("claimed amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    approved_amount = models.DecimalField(_("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=24, choices=MdfClaimStatus.choices, default=MdfClaimStatus.DRAFT)
    # The last day a claim can be submitted: the activity's end plus the fund's claim window.
    due_on = models.DateField(_("claim by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    decision_reason = models.TextField(_("decision reason"), blank=True)
    reimbursement = models.ForeignKey(
        "incentives.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MDF claim")
        verbose_name_plural = _("MDF claims")
        constraints = [models.UniqueConstraint(fields=["tenant", "request"], name="mdf_claim_one_per_request")]
        indexes = [
            models.Index(fields=["tenant", "partner", "status"], name="mdf_claim_partner_idx"),
            models.Index(fields=["tenant", "allocation", "status"], name="mdf_claim_allocation_idx"),
            models.Index(fields=["tenant", "status", "submitted_at"], name="mdf_claim_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.request.campaign_code} · {self.amount}"


class ClaimAttachment(TenantOwned):
    """One proof file of a claim, checked by its content and stored outside the web root under a generated
    name; only the authorised download view serves it."""

    claim = models.ForeignKey(MdfClaim, on_delete=models.CASCADE, related_name="attachments", db_index=False)
    kind = models.CharField(_("proof kind"), max_length=12, choices=ProofKind.choices)
    file = models.FileField(_("file"), upload_to="mdf/claims", max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # CSV proof (attendees, leads): the data rows it holds, counted when it was checked.
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["claim", "uploaded_at", "id"]
        verbose_name = _("claim attachment")
        verbose_name_plural = _("claim attachments")
        indexes = [models.Index(fields=["tenant", "claim", "kind"], name="mdf_attachment_claim_idx")]

    def __str__(self) -> str:
        return self.original_name


class CampaignLead(TenantOwned):
    """A lead a partner generated with an MDF activity (from the claim's lead CSV): ties the campaign's spend to
    the lead, the deals it became and their revenue, for ROI."""

    request = models.ForeignKey(MdfRequest, on_delete=models.PROTECT, related_name="campaign_leads", db_index=False)
    lead = models.ForeignKey("deals.Lead", on_delete=models.PROTECT, related_name="+", db_index=False)
    attachment = models.ForeignKey(
        ClaimAttachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("campaign lead")
        verbose_name_plural = _("campaign leads")
        constraints = [models.UniqueConstraint(fields=["tenant", "lead"], name="mdf_campaign_lead_unique")]
        indexes = [models.Index(fields=["tenant", "request"], name="mdf_campaign_lead_request_idx")]


class MdfReminder(TenantOwned):
    """One reminder sent before a deadline: an allocation's expiry or a request's claim window. Unique per
    deadline and lead time, so a rerun of the daily task sends nothing twice."""

    class Kind(models.TextChoices):
        ALLOCATION_EXPIRY = "allocation_expiry", _("Allocation expires")
        CLAIM_DUE = "claim_due", _("Claim due")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    request = models.ForeignKey(
        MdfRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    deadline = models.DateField(_("deadline"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("MDF reminder")
        verbose_name_plural = _("MDF reminders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(allocation__isnull=True) ^ models.Q(request__isnull=True),
                name="mdf_reminder_one_subject",
            ),
            models.UniqueConstraint(
                fields=["tenant", "allocation", "deadline", "days_before"],
                condition=models.Q(allocation__isnull=False),
                name="mdf_reminder_allocation_unique",
            ),
            models.UniqueConstraint(
                fields=["tenant", "request", "deadline", "days_before"],
                condition=models.Q(request__isnull=False),
                name="mdf_reminder_request_unique",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "sent_at"], name="mdf_reminder_sent_idx")]
