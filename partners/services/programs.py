"""Programs and their onboarding checklist templates (tenant admins)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import Duplicate, InvalidInput

from ..models import ChecklistStepTemplate, Program
from ..rules import application_questions_errors
from ..step_kinds import step_kind_choices, step_kind_get

PROGRAM_FIELDS = (
    "name",
    "slug",
    "kind",
    "summary",
    "description",
    "rules_of_engagement",
    "is_public",
    "promotions_need_approval",
    "demotion_grace_days",
    "onboarding_target_days",
    "application_questions",
    "position",
)
STEP_FIELDS = ("kind", "subject", "title", "description", "is_required", "position")


def _refuse_unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def program_validate(program: Program) -> None:
    """Every rule a program's fields must meet (admin forms call it too, to show errors per field)."""
    try:
        program.full_clean(exclude=["tenant"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(_("Check the program's fields."), fields=exc.message_dict) from exc
    if program.onboarding_target_days < 1:
        raise InvalidInput(
            _("The onboarding target must be at least one day."),
            fields={"onboarding_target_days": [_("Ensure this value is greater than or equal to 1.")]},
        )
    errors = application_questions_errors(program.application_questions)
    if errors:
        raise InvalidInput(_("Check the application questions."), fields={"application_questions": errors})
    if Program.objects.filter(slug=program.slug).exclude(pk=program.pk).exists():
        message = _("Another program already uses the slug %(slug)s.") % {"slug": program.slug}
        raise Duplicate(message, fields={"slug": [message]})


@transaction.atomic
def program_create(*, actor, name: str, slug: str, **fields) -> Program:
    _refuse_unknown(fields, PROGRAM_FIELDS)
    program = Program(name=(name or "").strip(), slug=(slug or "").strip(), **fields)
    program_validate(program)
    program.save()
    audit_record(action="program.create", actor=actor, obj=program, changes={"slug": [None, program.slug]})
    return program


@transaction.atomic
def program_update(*, program: Program, actor, **fields) -> Program:
    _refuse_unknown(fields, PROGRAM_FIELDS)
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = audit_snapshot(program, fields)
    for field, value in fields.items():
        setattr(program, field, value.strip() if field in ("name", "slug") and isinstance(value, str) else value)
    program_validate(program)
    program.save()
    changes = audit_diff(before, audit_snapshot(program, fields))
    if changes:
        audit_record(action="program.update", actor=actor, obj=program, changes=changes)
    return program


def _validate_step(step: ChecklistStepTemplate) -> None:
    if step.kind not in dict(step_kind_choices()):
        raise InvalidInput(
            _("Unknown step kind %(kind)s.") % {"kind": step.kind},
            fields={"kind": [_("Choose one of the registered step kinds.")]},
        )
    if not (step.title or "").strip():
        raise InvalidInput(_("A step needs a title."), fields={"title": [_("This field is required.")]})
    step.title = step.title.strip()
    step.subject = (step.subject or "").strip()
    kind = step_kind_get(step.kind)
    if step.subject and kind.subject_choices is None:
        raise InvalidInput(
            _("This kind of step is not about one thing."),
            fields={"subject": [_("Leave the subject empty for this kind of step.")]},
        )
    if step.subject and step.subject not in dict(kind.subject_choices()):
        raise InvalidInput(
            _("Unknown subject %(subject)s.") % {"subject": step.subject},
            fields={"subject": [_("Choose one of the offered subjects, or leave it empty for any.")]},
        )


@transaction.atomic
def checklist_step_add(*, program: Program, actor, kind: str, title: str, **fields) -> ChecklistStepTemplate:
    """Add a step to the program's checklist template. Partners get it when their checklist is created."""
    _refuse_unknown(fields, STEP_FIELDS)
    step = ChecklistStepTemplate(program=program, kind=kind, title=title, **fields)
    _validate_step(step)
    step.save()
    audit_record(
        action="checklist_step.add",
        actor=actor,
        obj=step,
        changes={"kind": [None, kind]},
        context={"program": program.pk},
    )
    return step


@transaction.atomic
def checklist_step_update(*, step: ChecklistStepTemplate, actor, **fields) -> ChecklistStepTemplate:
    _refuse_unknown(fields, STEP_FIELDS)
    step = ChecklistStepTemplate.objects.select_for_update().get(pk=step.pk)
    before = audit_snapshot(step, fields)
    for field, value in fields.items():
        setattr(step, field, value)
    _validate_step(step)
    step.save()
    changes = audit_diff(before, audit_snapshot(step, fields))
    if changes:
        audit_record(action="checklist_step.update", actor=actor, obj=step, changes=changes)
    return step


@transaction.atomic
def checklist_step_remove(*, step: ChecklistStepTemplate, actor) -> None:
    """Remove a template step; partners' copies stay (they keep their history)."""
    audit_record(action="checklist_step.remove", actor=actor, obj=step, context={"program": step.program_id})
    step.delete()
