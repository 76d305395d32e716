"""The onboarding step-kind registry. Apps add kinds in `AppConfig.ready()` (a course, a first
deal …) and report the matching event with `partners.services.onboarding_event_record`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StepKind:
    key: str
    label: str
    # Manual steps are ticked off by a channel manager; the others complete from events.
    manual: bool = False
    # Kinds about one thing (the course of "complete a course") list the choices, [(value, label)], of the
    # tenant in context; a step's `subject` names one of them, or is empty for "any".
    subject_choices: Callable[[], list[tuple[str, str]]] | None = None


_KINDS: dict[str, StepKind] = {}


def register_step_kind(kind: StepKind) -> None:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Step kind {kind.key!r} is already registered.")
    _KINDS[kind.key] = kind


def step_kind_get(key: str) -> StepKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise KeyError(f"Unknown onboarding step kind {key!r}.") from None


def step_kinds_all() -> list[StepKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def step_kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in step_kinds_all()]


def step_subject_choices() -> list:
    """Every subject a step can name, grouped by the kinds that take one (for a form's select), after "any"."""
    groups = [(kind.label, kind.subject_choices()) for kind in step_kinds_all() if kind.subject_choices]
    return [("", _("Any (or not about one thing)")), *groups]


ACCEPT_AGREEMENT = "accept_agreement"
COMPLETE_PROFILE = "complete_profile"
UPLOAD_LOGO = "upload_logo"
INVITE_REP = "invite_rep"
MANUAL = "manual"

register_step_kind(StepKind(ACCEPT_AGREEMENT, _("Accept the partner agreement")))
register_step_kind(StepKind(COMPLETE_PROFILE, _("Complete the company profile")))
register_step_kind(StepKind(UPLOAD_LOGO, _("Upload the company logo")))
register_step_kind(StepKind(INVITE_REP, _("Invite a sales rep")))
register_step_kind(StepKind(MANUAL, _("Checked by your channel manager"), manual=True))
