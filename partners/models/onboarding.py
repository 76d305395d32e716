from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import TenantOwned

from .partner import Partner
from .programs import ChecklistStepTemplate


class OnboardingStep(TenantOwned):
    """A partner's copy of a checklist step; completes by hand or from an event of its kind."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="onboarding_steps", db_index=False, verbose_name=_("partner")
    )
    template = models.ForeignKey(
        ChecklistStepTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("template"),
    )
    kind = models.CharField(_("kind"), max_length=48)
    subject = models.CharField(_("subject"), max_length=48, blank=True)  # as on the template
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("completed by"),
    )
    completion_note = models.CharField(_("how it was completed"), max_length=240, blank=True)

    class Meta:
        ordering = ["partner", "position", "id"]
        verbose_name = _("onboarding step")
        verbose_name_plural = _("onboarding steps")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner", "template"], name="partners_onboarding_step_template_unique"
            )
        ]
        indexes = [models.Index(fields=["tenant", "partner", "kind"], name="partners_onboarding_kind_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None
