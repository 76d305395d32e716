"""Running onboarding: manual steps, the daily sweep (activate the finished, remind the stalled)."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prm.accounts.models import Membership, User
from prm.accounts.roles import Role
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.selectors import tenant_portal_url

from ..models import OnboardingStep, Partner, PartnerStatus
from ..rules import onboarding_reminder_due
from ..selectors.checklist import onboarding_in_progress, onboarding_status_of, step_is_manual
from .lifecycle import partner_transition

DONE, OPEN = "done", "open"
ACTIVATION_REASON = "Onboarding checklist complete"


def _lock_manual_step(step: OnboardingStep) -> OnboardingStep:
    step = OnboardingStep.objects.select_for_update().select_related("partner").get(pk=step.pk)
    if not step_is_manual(step):
        raise InvalidInput(
            _("“%(title)s” completes by itself when the partner does it; it cannot be ticked off by hand.")
            % {"title": step.title},
            fields={"step": [_("Only manual steps can be ticked off.")]},
        )
    if step.partner.status == PartnerStatus.OFFBOARDED:
        raise StateConflict(_("This partner has been offboarded."), current_state=step.partner.status)
    return step


@transaction.atomic
def onboarding_step_complete_manual(*, step: OnboardingStep, actor, note: str = "") -> OnboardingStep:
    """A channel manager ticks off a manual step; a step that is already done is a conflict."""
    step = _lock_manual_step(step)
    if step.is_done:
        raise StateConflict(_("This step is already done."), current_state=DONE)
    step.completed_at = timezone.now()
    step.completed_by = actor
    step.completion_note = (note or "").strip()[:240] or _("ticked off by the channel manager")
    step.save(update_fields=["completed_at", "completed_by", "completion_note"])
    audit_record(
        action="onboarding.step_complete_manual",
        actor=actor,
        obj=step,
        changes={"completed_at": [None, step.completed_at]},
        context={"partner": step.partner_id},
    )
    return step


@transaction.atomic
def onboarding_step_undo_manual(*, step: OnboardingStep, actor) -> OnboardingStep:
    """Take back a manual tick (the partner's status is not changed by this)."""
    step = _lock_manual_step(step)
    if not step.is_done:
        raise StateConflict(_("This step is not done."), current_state=OPEN)
    before = step.completed_at
    step.completed_at, step.completed_by, step.completion_note = None, None, ""
    step.save(update_fields=["completed_at", "completed_by", "completion_note"])
    audit_record(
        action="onboarding.step_undo_manual",
        actor=actor,
        obj=step,
        changes={"completed_at": [before, None]},
        context={"partner": step.partner_id},
    )
    return step


@dataclass
class SweepResult:
    activated: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)


def onboarding_sweep(*, today: date | None = None) -> SweepResult:
    """Daily, for the tenant in context: activate partners whose required steps are all done, and
    remind stalled ones (their admins and channel manager). Each partner is its own transaction, so
    one failure does not undo the others; a second run the same day finds nothing to do."""
    today = today or timezone.localdate()
    result = SweepResult()
    for partner in onboarding_in_progress(today=today):
        if partner.required_done >= partner.required_steps:
            try:
                partner_transition(
                    partner=partner, actor=None, to_status=PartnerStatus.ACTIVE, reason=ACTIVATION_REASON
                )
            except StateConflict:
                continue  # moved on since the list was read
            result.activated.append(partner.pk)
        elif partner.pace.stalled and _remind_if_due(partner=partner, today=today):
            result.reminded.append(partner.pk)
    return result


@transaction.atomic
def _remind_if_due(*, partner: Partner, today: date) -> bool:
    from ..tasks.onboarding import onboarding_reminder_send_task

    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    reminded_on = timezone.localdate(locked.onboarding_reminded_at) if locked.onboarding_reminded_at else None
    due = onboarding_reminder_due(last_activity_on=partner.pace.last_activity_on, reminded_on=reminded_on, today=today)
    if locked.status != PartnerStatus.ONBOARDING or not due:
        return False
    locked.onboarding_reminded_at = timezone.now()
    locked.save(update_fields=["onboarding_reminded_at", "updated_at"])
    audit_record(action="onboarding.remind", obj=locked, context={"progress": partner.pace.progress})
    onboarding_reminder_send_task.delay_on_commit(tenant_id=locked.tenant_id, partner_id=locked.pk)
    return True


def onboarding_reminder_recipients(partner: Partner) -> list[tuple[User, bool]]:
    """(user, is_manager) for each active partner admin and the partner's channel manager, once each."""
    admins = (
        Membership.objects.filter(partner_links__partner=partner, role=Role.PARTNER_ADMIN, is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    recipients = [(membership.user, False) for membership in admins]
    manager = partner.channel_manager
    if manager is not None and Membership.objects.filter(user=manager, is_active=True).exists():
        recipients.append((manager, True))
    return recipients


def onboarding_reminder_send(*, partner: Partner) -> int:
    """Email the reminder: the open steps and the days left (or over) against the target."""
    status = onboarding_status_of(partner)
    tenant = partner.tenant
    sent = 0
    for user, is_manager in onboarding_reminder_recipients(partner):
        if is_manager:
            path = reverse("partners:onboarding-partner", args=[partner.pk])
        else:
            path = reverse("partners:onboarding")
        context = {
            "tenant": tenant,
            "partner": partner,
            "user": user,
            "is_manager": is_manager,
            "status": status,
            "url": tenant_portal_url(tenant=tenant, path=path),
        }
        with translation.override(tenant.default_language):
            subject = render_to_string("partners/email/onboarding_reminder_subject.txt", context).strip()
            body = render_to_string("partners/email/onboarding_reminder_message.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
