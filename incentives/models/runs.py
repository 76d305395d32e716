from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .programs import IncentiveProgram, RuleVersion


class ProgramPeriod(TenantOwned):
    """One period of one program. Its row is the lock runs take; once closed, nothing is posted into it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    program = models.ForeignKey(IncentiveProgram, on_delete=models.CASCADE, related_name="periods", db_index=False)
    key = models.CharField(_("period"), max_length=10, help_text=_("2026-Q3, 2026-07 or 2026."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["program", "-starts_on"]
        verbose_name = _("program period")
        verbose_name_plural = _("program periods")
        constraints = [models.UniqueConstraint(fields=["tenant", "program", "key"], name="inc_period_unique")]

    def __str__(self) -> str:
        return f"{self.program} · {self.key}"


class Run(TenantOwned):
    """One computation of a program's period. Re-executing a run reads the same inputs (those recorded
    before `cutoff`) and posts nothing new; the next run posts only differences (true-ups)."""

    class Kind(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional (open period)")
        FINAL = "final", _("Final (closes the period)")
        MANUAL = "manual", _("On demand")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        OVER_BUDGET = "over_budget", _("Stopped: over budget")

    program = models.ForeignKey(IncentiveProgram, on_delete=models.CASCADE, related_name="runs", db_index=False)
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.CharField(_("period"), max_length=10)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    as_of = models.DateField(_("as of"))
    # Inputs recorded after this instant belong to the next run, so a re-executed run sees what it saw.
    cutoff = models.DateTimeField(_("inputs up to"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    lines_posted = models.PositiveIntegerField(_("lines posted"), default=0)
    amount_posted = models.DecimalField(_("amount posted"), max_digits=16, decimal_places=2, default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        constraints = [
            # One scheduled run per program, rule version, period, kind and day; on-demand runs may repeat.
            models.UniqueConstraint(
                fields=["tenant", "program", "rule_version", "period", "kind", "as_of"],
                condition=~models.Q(kind="manual"),
                name="inc_run_unique",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "program", "period", "created_at"], name="inc_run_prog_idx")]

    def __str__(self) -> str:
        return f"{self.program} · {self.period} · {self.get_kind_display()}"

    @property
    def progress_pct(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.chunks_done / self.chunks_total) if self.chunks_total else 0

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
