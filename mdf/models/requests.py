from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .funds import Allocation


class ProofKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    PHOTO = "photo", _("Photo")
    ATTENDEES = "attendees", _("Attendee list (CSV)")
    LEADS = "leads", _("Leads generated (CSV)")
    OTHER = "other", _("Other proof")


class ActivityType(TenantOwned):
    """A kind of marketing activity partners may ask funds for (the vendor keeps its own list)."""

    key = models.SlugField(_("key"), max_length=40, db_index=False)
    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # The proof a claim for this kind of activity must carry before it can be submitted (ProofKind values).
    required_proof = ArrayField(
        models.CharField(max_length=12, choices=ProofKind.choices),
        verbose_name=_("required proof"),
        default=list,
        blank=True,
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="mdf_activity_type_key_unique")]

    def __str__(self) -> str:
        return self.name


class MdfRequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PARTIALLY_APPROVED = "partially_approved", _("Partially approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for changes")
    # Approved, but not claimed within the claim window: it holds nothing any more.
    LAPSED = "lapsed", _("Lapsed")


# A request the partner can still change and submit; an approved one (in full or in part), which can be claimed.
EDITABLE_REQUEST_STATUSES = (MdfRequestStatus.DRAFT, MdfRequestStatus.RETURNED)
APPROVED_REQUEST_STATUSES = (MdfRequestStatus.APPROVED, MdfRequestStatus.PARTIALLY_APPROVED)


class MdfRequest(TenantOwned):
    """A partner's request for pre-approval of a marketing activity, paid from one of its allocations."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="requests", db_index=False)
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+", db_index=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+", db_index=False)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"))
    starts_on = models.DateField(_("activity starts"))
    ends_on = models.DateField(_("activity ends"))
    planned_cost = models.DecimalField(
        _("planned cost"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    requested_amount = models.DecimalField(
        _("requested amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    approved_amount = models.DecimalField(_("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    expected_leads = models.PositiveIntegerField(_("expected leads"), default=0)
    campaign_code = models.CharField(_("campaign code"), max_length=40)
    status = models.CharField(
        _("status"), max_length=24, choices=MdfRequestStatus.choices, default=MdfRequestStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MDF request")
        verbose_name_plural = _("MDF requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="mdf_request_dates"),
            models.UniqueConstraint(fields=["tenant", "campaign_code"], name="mdf_request_campaign_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "partner", "status"], name="mdf_request_partner_idx"),
            models.Index(fields=["tenant", "allocation", "status"], name="mdf_request_allocation_idx"),
            models.Index(fields=["tenant", "status", "submitted_at"], name="mdf_request_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_code} · {self.title}"
