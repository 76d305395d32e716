"""Writes of incentive programs: create, change, rule versions, opt-in."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners.selectors import unknown_program_and_tier_errors
from prm.audit.services import audit_record
from prm.errors import Duplicate, InvalidInput, StateConflict

from ..event_kinds import event_kind_keys
from ..models import Enrollment, IncentiveProgram, LedgerEntry, ProgramKind, RuleVersion, Unit
from ..periods import period_containing
from ..rules import RuleError, validate_params

PROGRAM_FIELDS = (
    "name",
    "slug",
    "kind",
    "summary",
    "description",
    "award_to",
    "unit",
    "currency",
    "period_scheme",
    "starts_on",
    "ends_on",
    "budget",
    "eligible_program_ids",
    "eligible_tier_ids",
    "eligible_types",
    "eligible_regions",
    "requires_opt_in",
    "terms",
    "channel_manager_share_pct",
)
# Kinds whose awards are always points / always money; SPIFs may pay either.
UNIT_OF_KIND = {
    ProgramKind.POINTS: Unit.POINTS,
    ProgramKind.REBATE: Unit.MONEY,
    ProgramKind.REVENUE_SHARE: Unit.MONEY,
}
# Kinds that always pay the partner company / always the rep.
AWARD_OF_KIND = {ProgramKind.REBATE: "partner", ProgramKind.REVENUE_SHARE: "partner", ProgramKind.SPIF: "rep"}


def _clean_params(kind: str, params) -> dict:
    try:
        return validate_params(kind, params, event_kinds=event_kind_keys())
    except RuleError as error:
        raise InvalidInput(
            _("The rules are not valid."), fields={f"params.{k}": v for k, v in error.fields.items()}
        ) from error


def _unknown_ids(program: IncentiveProgram) -> dict[str, list[str]]:
    """Eligibility ids that are not this vendor's partner programs or tiers."""
    program.eligible_program_ids = sorted(set(program.eligible_program_ids or []))
    program.eligible_tier_ids = sorted(set(program.eligible_tier_ids or []))
    return unknown_program_and_tier_errors(
        program_ids=program.eligible_program_ids,
        tier_ids=program.eligible_tier_ids,
        program_field="eligible_program_ids",
        tier_field="eligible_tier_ids",
    )


def _validated(program: IncentiveProgram) -> None:
    unknown = _unknown_ids(program)
    if unknown:
        raise InvalidInput(_("The program is not valid."), fields=unknown)
    if program.kind in UNIT_OF_KIND:
        program.unit = UNIT_OF_KIND[program.kind]
    if program.kind in AWARD_OF_KIND:
        program.award_to = AWARD_OF_KIND[program.kind]
    try:
        program.full_clean(exclude=["tenant"])
    except ValidationError as error:
        raise InvalidInput(_("The program is not valid."), fields=error.message_dict) from error


@transaction.atomic
def incentive_program_create(*, actor, params: dict, status: str = "draft", **values) -> IncentiveProgram:
    """A program (a draft unless `status` says active) with its first rule version, effective from the
    start of its first period."""
    values = {key: value for key, value in values.items() if key in PROGRAM_FIELDS}
    values["status"] = status
    if not values.get("slug"):
        values["slug"] = slugify(values.get("name", ""))[:60]
    program = IncentiveProgram(**values)
    _validated(program)
    clean = _clean_params(program.kind, params)
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        raise Duplicate(
            _("A program with this slug exists already."), fields={"slug": [_("Already in use.")]}
        ) from None
    first = period_containing(program.starts_on, program.period_scheme).starts_on
    RuleVersion.objects.create(program=program, version=1, effective_from=first, params=clean, created_by=actor)
    audit_record(action="incentives.program_create", actor=actor, obj=program, context={"kind": program.kind})
    return program


@transaction.atomic
def incentive_program_update(*, program: IncentiveProgram, actor, **values) -> IncentiveProgram:
    """Change a program's description, window, budget or eligibility (its rules change by new versions).
    The kind, unit and currency of a program that has posted lines cannot change."""
    program = IncentiveProgram.objects.select_for_update().get(pk=program.pk)
    locked = ("kind", "unit", "currency", "period_scheme", "starts_on")
    has_lines = LedgerEntry.objects.filter(program=program).exists()
    changes = {}
    for key, value in values.items():
        if key not in PROGRAM_FIELDS or getattr(program, key) == value:
            continue
        if has_lines and key in locked:
            raise StateConflict(
                _("The program has posted lines: its %(field)s can no longer change.") % {"field": key},
                current_state=program.status,
            )
        changes[key] = [str(getattr(program, key)), str(value)]
        setattr(program, key, value)
    _validated(program)
    program.save()
    if changes:
        audit_record(action="incentives.program_update", actor=actor, obj=program, changes=changes)
    return program


@transaction.atomic
def incentive_program_set_status(*, program: IncentiveProgram, actor, status: str) -> IncentiveProgram:
    allowed = {
        IncentiveProgram.Status.DRAFT: {IncentiveProgram.Status.ACTIVE},
        IncentiveProgram.Status.ACTIVE: {IncentiveProgram.Status.ENDED},
        IncentiveProgram.Status.ENDED: {IncentiveProgram.Status.ACTIVE},
    }
    program = IncentiveProgram.objects.select_for_update().get(pk=program.pk)
    if status not in allowed[program.status]:
        raise StateConflict(
            _("A %(current)s program cannot become %(status)s.")
            % {
                "current": program.get_status_display(),
                "status": dict(IncentiveProgram.Status.choices).get(status, status),
            },
            current_state=program.status,
        )
    before, program.status = program.status, status
    program.save(update_fields=["status", "updated_at"])
    audit_record(action="incentives.program_status", actor=actor, obj=program, changes={"status": [before, status]})
    return program


@transaction.atomic
def rule_version_create(
    *, program: IncentiveProgram, actor, params, effective_from: date, note: str = ""
) -> RuleVersion:
    """A new version of the program's rules from the period that starts on `effective_from`.

    It may start in the open period (the next run re-prices the period and posts the differences) or
    later, never in a closed period.
    """
    from ..models import ProgramPeriod

    program = IncentiveProgram.objects.select_for_update().get(pk=program.pk)
    period = period_containing(effective_from, program.period_scheme)
    if period.starts_on != effective_from:
        raise InvalidInput(
            _("Rules change at the start of a period: use %(day)s.") % {"day": period.starts_on.isoformat()},
            fields={"effective_from": [_("Must be the first day of a period.")]},
        )
    closed = ProgramPeriod.objects.filter(
        program=program, status=ProgramPeriod.Status.CLOSED, ends_on__gte=effective_from
    ).exists()
    if closed:
        raise StateConflict(_("That period is closed: rules can change from the open period on."))
    clean = _clean_params(program.kind, params)
    version = (RuleVersion.objects.filter(program=program).aggregate(v=Max("version"))["v"] or 0) + 1
    try:
        with transaction.atomic():
            rule = RuleVersion.objects.create(
                program=program,
                version=version,
                effective_from=effective_from,
                params=clean,
                note=note,
                created_by=actor,
            )
    except IntegrityError:
        raise Duplicate(
            _("A version already starts on that day."), fields={"effective_from": [_("Already has a version.")]}
        ) from None
    audit_record(
        action="incentives.rule_version_create",
        actor=actor,
        obj=program,
        context={"version": version, "effective_from": effective_from.isoformat(), "note": note},
    )
    return rule


@transaction.atomic
def enrollment_accept(*, program: IncentiveProgram, partner, actor) -> Enrollment:
    """A partner admin opts the company in to a program, accepting its current terms."""
    if not program.requires_opt_in:
        raise StateConflict(_("This program needs no opt-in: eligible partners take part automatically."))
    if program.status != IncentiveProgram.Status.ACTIVE:
        raise StateConflict(_("This program is not open."), current_state=program.status)
    enrollment, created = Enrollment.objects.get_or_create(
        program=program, partner=partner, defaults={"accepted_by": actor, "terms_accepted": program.terms}
    )
    if created:
        audit_record(action="incentives.enrollment_accept", actor=actor, obj=program, context={"partner": partner.pk})
    return enrollment
