"""Pure rules of partner applications: which decisions each status allows, and program questions (no ORM)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models.applications import PartnerApplication

Status = PartnerApplication.Status

APPROVE, REJECT, REQUEST_INFO = "approve", "reject", "request_info"
# A manager may decide, or ask again, while the application is open; approved and rejected are final.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    APPROVE: frozenset({Status.SUBMITTED, Status.INFO_REQUESTED}),
    REJECT: frozenset({Status.SUBMITTED, Status.INFO_REQUESTED}),
    REQUEST_INFO: frozenset({Status.SUBMITTED, Status.INFO_REQUESTED}),
}
ANSWER_MAX_LENGTH = 2000


def can_decide(action: str, status: str) -> bool:
    return status in ALLOWED_FROM[action]


def is_open(status: str) -> bool:
    return any(status in allowed for allowed in ALLOWED_FROM.values())


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    required: bool = False


def program_questions(raw) -> list[Question]:
    """`Program.application_questions` as Questions; entries without a usable key are skipped."""
    questions, seen = [], set()
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "").strip()
        if not key or key in seen:
            continue
        seen.add(key)
        questions.append(Question(key=key, label=str(item.get("label") or key), required=bool(item.get("required"))))
    return questions


def clean_answers(questions: list[Question], answers) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(answers kept, errors by `answers.<key>`): text answers to known questions, required ones present."""
    if answers in (None, ""):
        answers = {}
    if not isinstance(answers, dict):
        return {}, {"answers": [_("Send the answers as an object of question key → text.")]}
    known = {question.key for question in questions}
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in known:
            errors[f"answers.{key}"] = [_("This program does not ask this question.")]
    cleaned = {}
    for question in questions:
        value = answers.get(question.key, "")
        if not isinstance(value, str):
            errors[f"answers.{question.key}"] = [_("Answer with text.")]
            continue
        value = value.strip()
        if len(value) > ANSWER_MAX_LENGTH:
            errors[f"answers.{question.key}"] = [
                _("Keep the answer under %(max)d characters.") % {"max": ANSWER_MAX_LENGTH}
            ]
        elif question.required and not value:
            errors[f"answers.{question.key}"] = [_("This question must be answered.")]
        elif value:
            cleaned[question.key] = value
    return cleaned, errors
