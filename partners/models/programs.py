from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Program(TenantOwned):
    """A partner program for one segment (reseller, solutions, app, referral, pilot …)."""

    class Kind(models.TextChoices):
        RESELLER = "reseller", _("Reseller")
        SOLUTIONS = "solutions", _("Solutions / services")
        APP = "app", _("App / ISV")
        REFERRAL = "referral", _("Referral / affiliate")
        PILOT = "pilot", _("Pilot / trial")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, db_index=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RESELLER)
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    description = models.TextField(_("description"), blank=True)
    rules_of_engagement = models.TextField(_("rules of engagement"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the “Become a partner” page and open to applications.")
    )
    promotions_need_approval = models.BooleanField(
        _("promotions need approval"),
        default=False,
        help_text=_("Tier promotions wait for a channel manager instead of applying at once."),
    )
    demotion_grace_days = models.PositiveIntegerField(
        _("demotion grace period (days)"),
        default=90,
        help_text=_("How long a partner may stay below its tier's criteria before it is demoted."),
    )
    onboarding_target_days = models.PositiveIntegerField(_("onboarding target (days)"), default=60)
    # [{"key": "why", "label": "Why us?", "required": true}, …] asked on the application form.
    application_questions = models.JSONField(_("application questions"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [models.UniqueConstraint(fields=["tenant", "slug"], name="partners_program_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Tier(TenantOwned):
    """A level of a program; rank 0 is the entry tier. Benefits are structured so other apps can use them."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="tiers", db_index=False, verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("0 is the entry tier; higher is better."))
    description = models.TextField(_("description"), blank=True)
    product_discount_pct = models.DecimalField(
        _("product discount %"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    deal_registration_discount_pct = models.DecimalField(
        _("deal-registration extra discount %"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    rebate_multiplier = models.DecimalField(
        _("rebate multiplier"), max_digits=4, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    mdf_allocation_per_quarter = models.DecimalField(
        _("MDF allocation per quarter"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    mdf_reimbursement_cap_pct = models.DecimalField(
        _("MDF reimbursement cap %"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    perks = models.JSONField(_("perks"), default=list, blank=True, help_text=_("A list of short texts."))

    class Meta:
        ordering = ["program", "rank"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "program", "rank"], name="partners_tier_rank_unique"),
            models.UniqueConstraint(fields=["tenant", "program", "name"], name="partners_tier_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} · {self.name}"


class TierCriterion(TenantOwned):
    """`metric >= threshold`; a partner qualifies for a tier when it meets all of the tier's criteria."""

    tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, related_name="criteria", db_index=False, verbose_name=_("tier")
    )
    metric = models.CharField(_("metric"), max_length=64)
    threshold = models.DecimalField(_("threshold"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["tier", "metric"]
        verbose_name = _("tier criterion")
        verbose_name_plural = _("tier criteria")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "tier", "metric"], name="partners_criterion_metric_unique")
        ]

    def __str__(self) -> str:
        return f"{self.metric} ≥ {self.threshold}"


class Agreement(TenantOwned):
    """One version of a program's partner agreement; the newest published version is the current one."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="agreements", db_index=False, verbose_name=_("program")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["program", "-version"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "program", "version"], name="partners_agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ChecklistStepTemplate(TenantOwned):
    """One step of a program's onboarding checklist; `kind` is a key of the step-kind registry."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="checklist", db_index=False, verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=48)
    # What the step is about, for kinds that take one (the course of "complete a course"); empty: any.
    subject = models.CharField(_("subject"), max_length=48, blank=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["program", "position", "id"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        indexes = [models.Index(fields=["tenant", "program", "position"], name="partners_checklist_program_idx")]

    def __str__(self) -> str:
        return self.title
