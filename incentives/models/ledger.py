from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .programs import IncentiveProgram, RuleVersion, Unit
from .runs import Run


class EntryType(models.TextChoices):
    EARNING = "earning", _("Earning")
    TRUE_UP = "true_up", _("True-up")
    ADJUSTMENT = "adjustment", _("Manual adjustment")
    CLAWBACK = "clawback", _("Clawback")
    REDEMPTION = "redemption", _("Redemption")
    REFUND = "refund", _("Refund")
    EXPIRY = "expiry", _("Expiry")
    REIMBURSEMENT = "reimbursement", _("MDF reimbursement")


def _user_fk(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        **kwargs,
    )


class LedgerEntry(TenantOwned):
    """One append-only line of what a recipient (a partner company or a person) earned or spent.

    Money and points share the table: `unit` says which, and money carries its currency. Nothing here is
    ever updated or deleted (a trigger refuses it); corrections are new lines (true-ups, clawbacks).
    `idempotency_key` is unique per tenant, so posting the same thing twice inserts it once.
    """

    program = models.ForeignKey(
        IncentiveProgram, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    run = models.ForeignKey(Run, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False)
    period = models.CharField(_("period"), max_length=10, blank=True)
    # The partner company the line belongs to: the recipient itself, a rep's company, or for a channel
    # manager's share the partner whose sales earned it. Statements and runs are scoped by it.
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    recipient_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    recipient_user = _user_fk(verbose_name=_("recipient person"))
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    entry_type = models.CharField(_("type"), max_length=16, choices=EntryType.choices)
    # What the line is about: "volume" (a period's revenue), "sale:<id>", "deal:<id>", "event:<kind>:<ref>",
    # "redemption:<id>", "entry:<id>" (a clawback of that entry) …
    source = models.CharField(_("source"), max_length=120)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    occurred_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    created_by = _user_fk(verbose_name=_("posted by"))

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "idempotency_key"], name="inc_entry_key_unique"),
            models.CheckConstraint(
                condition=models.Q(recipient_partner__isnull=True) ^ models.Q(recipient_user__isnull=True),
                name="inc_entry_one_recipient",
            ),
            models.CheckConstraint(
                condition=(models.Q(unit="money") & ~models.Q(currency=""))
                | (models.Q(unit="points") & models.Q(currency="")),
                name="inc_entry_unit_currency",
            ),
        ]
        indexes = [
            # What a run compares against: posted sums per (program, period, recipient, source).
            models.Index(fields=["tenant", "program", "period", "partner"], name="inc_entry_scope_idx"),
            models.Index(fields=["tenant", "recipient_partner", "occurred_on"], name="inc_entry_partner_idx"),
            models.Index(fields=["tenant", "recipient_user", "occurred_on"], name="inc_entry_user_idx"),
        ]

    def __str__(self) -> str:
        unit = self.currency or _("points")
        return f"{self.get_entry_type_display()} {self.amount} {unit}"


class Payout(TenantOwned):
    """Money paid to one recipient in one currency: prepared from pending lines, approved, then paid."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    recipient_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    recipient_user = _user_fk(verbose_name=_("recipient person"))
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    prepared_by = _user_fk(verbose_name=_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    approved_by = _user_fk(verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_by = _user_fk(verbose_name=_("marked paid by"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    external_reference = models.CharField(_("payment reference"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_partner__isnull=True) ^ models.Q(recipient_user__isnull=True),
                name="inc_payout_one_recipient",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "prepared_at"], name="inc_payout_status_idx")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"


class PayoutItem(TenantOwned):
    """A ledger line included in a payout; a line is in at most one payout that was not cancelled
    (cancelling a proposed payout removes its items, so the lines are pending again)."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="items", db_index=False)
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("payout item")
        verbose_name_plural = _("payout items")
        constraints = [models.UniqueConstraint(fields=["tenant", "entry"], name="inc_payout_entry_unique")]
        indexes = [models.Index(fields=["tenant", "payout"], name="inc_payout_item_idx")]
