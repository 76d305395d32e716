"""Pure training rules (no ORM): quiz scoring, what makes a quiz question valid, certification expiry dates,
expiry reminders and certificate codes."""

import calendar
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

SINGLE, MULTIPLE = "single", "multiple"
REMINDER_DAYS = 30
# Certificate codes avoid look-alike characters (0/O, 1/I/L) so a code read aloud or retyped is found.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class QuizQuestion:
    id: int
    kind: str
    choice_ids: frozenset[int]
    correct_ids: frozenset[int]


@dataclass(frozen=True)
class QuizScore:
    correct: int
    total: int
    score: Decimal
    passed: bool
    correct_question_ids: frozenset[int]


def percent(correct: int, total: int) -> Decimal:
    """correct / total × 100, rounded half-up to two places (0 for an empty quiz)."""
    if total == 0:
        return Decimal("0.00")
    return (Decimal(correct) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def answer_is_correct(question: QuizQuestion, chosen: frozenset[int]) -> bool:
    """Single choice: the one correct choice. Multiple choice: exactly the set of correct choices (one missed or
    one wrong pick makes the answer wrong; there is no partial credit)."""
    return bool(chosen) and chosen == question.correct_ids


def quiz_score(questions: list[QuizQuestion], answers: dict[int, frozenset[int]], *, pass_mark: int) -> QuizScore:
    """Score answers ({question id: chosen choice ids}); passed when the score reaches the pass mark (percent)."""
    right = frozenset(q.id for q in questions if answer_is_correct(q, answers.get(q.id, frozenset())))
    score = percent(len(right), len(questions))
    return QuizScore(
        correct=len(right), total=len(questions), score=score, passed=score >= pass_mark, correct_question_ids=right
    )


def answers_errors(questions: list[QuizQuestion], answers: dict[int, frozenset[int]]) -> list[str]:
    """Why answers cannot be scored, as codes with the question id: `unknown_question:<id>` (not in this quiz),
    `unanswered:<id>`, `unknown_choice:<id>` (a choice of another question), `one_choice:<id>` (several picks on a
    single-choice question). Empty when the answers can be scored."""
    by_id = {q.id: q for q in questions}
    errors = [f"unknown_question:{qid}" for qid in answers if qid not in by_id]
    for question in questions:
        chosen = answers.get(question.id, frozenset())
        if not chosen:
            errors.append(f"unanswered:{question.id}")
        elif not chosen <= question.choice_ids:
            errors.append(f"unknown_choice:{question.id}")
        elif question.kind == SINGLE and len(chosen) > 1:
            errors.append(f"one_choice:{question.id}")
    return errors


def question_problem(*, kind: str, choices: int, correct: int) -> str | None:
    """What is wrong with a question's choices, or None: every question needs at least two choices; a
    single-choice question exactly one correct, a multiple-choice one at least one."""
    if choices < 2:
        return "too_few_choices"
    if kind == SINGLE and correct != 1:
        return "single_needs_one_correct"
    if kind == MULTIPLE and correct < 1:
        return "multiple_needs_a_correct"
    return None


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus calendar months, the day clamped to the target month's last day (31 Jan + 1 month = 28 or
    29 Feb; 29 Feb 2028 + 12 months = 28 Feb 2029); the time of day and time zone stay."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def certification_expiry(earned_at: datetime, months: int | None) -> datetime | None:
    """When a certification earned at `earned_at` expires: `months` calendar months later; never when None."""
    return None if months is None else add_months(earned_at, months)


def reminder_due(*, expires_at: datetime | None, now: datetime, days: int = REMINDER_DAYS) -> bool:
    """A holder is reminded once the expiry is `days` or fewer away, and only while it has not passed."""
    return expires_at is not None and now < expires_at <= now + timedelta(days=days)


def certificate_code(length: int = 8) -> str:
    """A random, human-friendly certificate number such as `K7QM-3XTP` (uniqueness is the database's job)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{raw[: length // 2]}-{raw[length // 2 :]}"
