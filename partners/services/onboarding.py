from django.db import transaction
from django.utils import timezone

from prm.audit.services import audit_record

from ..models import ChecklistStepTemplate, OnboardingStep, Partner
from ..rules import PROFILE_REQUIRED_FIELDS, missing_profile_fields
from ..step_kinds import COMPLETE_PROFILE, step_kind_get


def onboarding_checklist_create(*, partner: Partner) -> list[OnboardingStep]:
    """Copy the program's checklist template to `partner` (steps it already has are kept)."""
    templates = ChecklistStepTemplate.objects.filter(program_id=partner.program_id).order_by("position", "id")
    steps = [
        OnboardingStep(
            partner=partner,
            template=template,
            kind=template.kind,
            subject=template.subject,
            title=template.title,
            description=template.description,
            is_required=template.is_required,
            position=template.position,
        )
        for template in templates
    ]
    OnboardingStep.objects.bulk_create(steps, ignore_conflicts=True)
    return list(partner.onboarding_steps.all())


@transaction.atomic
def onboarding_event_record(*, partner: Partner, kind: str, actor=None, note: str = "", subject: str = "") -> int:
    """Something of `kind` happened for `partner` (agreement accepted, first deal, course X passed …): complete
    its open steps of that kind whose subject is empty (any) or `subject`. Returns how many steps it completed;
    repeating the event completes none."""
    step_kind_get(kind)
    subjects = ["", subject] if subject else [""]
    open_steps = list(
        OnboardingStep.objects.select_for_update().filter(
            partner=partner, kind=kind, subject__in=subjects, completed_at__isnull=True
        )
    )
    now = timezone.now()
    for step in open_steps:
        step.completed_at = now
        step.completed_by = actor
        step.completion_note = note[:240]
        step.save(update_fields=["completed_at", "completed_by", "completion_note"])
        audit_record(
            action="onboarding.step_complete", actor=actor, obj=step, context={"partner": partner.pk, "kind": kind}
        )
    return len(open_steps)


def onboarding_profile_check(*, partner: Partner, actor=None) -> None:
    """Complete the profile step once every field a complete profile needs is filled in."""
    values = {field: getattr(partner, field) for field in PROFILE_REQUIRED_FIELDS}
    if not missing_profile_fields(values):
        onboarding_event_record(partner=partner, kind=COMPLETE_PROFILE, actor=actor, note="profile completed")
