"""Pure training rules, without a database: scoring, answer checks, question validity, calendar months, reminders
and certificate codes."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from content.training_rules import (
    CODE_ALPHABET,
    QuizQuestion,
    add_months,
    answers_errors,
    certificate_code,
    certification_expiry,
    percent,
    question_problem,
    quiz_score,
    reminder_due,
)

SINGLE = QuizQuestion(id=1, kind="single", choice_ids=frozenset({10, 11, 12}), correct_ids=frozenset({11}))
MULTI = QuizQuestion(id=2, kind="multiple", choice_ids=frozenset({20, 21, 22}), correct_ids=frozenset({20, 21}))
THIRD = QuizQuestion(id=3, kind="single", choice_ids=frozenset({30, 31}), correct_ids=frozenset({30}))


def test_single_choice_scores_only_the_correct_choice():
    assert quiz_score([SINGLE], {1: frozenset({11})}, pass_mark=100).passed
    assert not quiz_score([SINGLE], {1: frozenset({10})}, pass_mark=1).passed


@pytest.mark.parametrize(
    ("chosen", "right"),
    [({20, 21}, True), ({20}, False), ({20, 21, 22}, False), ({22}, False)],
)
def test_multiple_choice_needs_exactly_the_set_of_correct_choices(chosen, right):
    assert quiz_score([MULTI], {2: frozenset(chosen)}, pass_mark=100).passed is right


def test_score_is_rounded_half_up_to_two_places_and_compared_with_the_pass_mark():
    answers = {1: frozenset({11}), 2: frozenset({20}), 3: frozenset({31})}
    score = quiz_score([SINGLE, MULTI, THIRD], answers, pass_mark=34)
    assert (score.correct, score.total, score.score) == (1, 3, Decimal("33.33"))
    assert not score.passed
    assert score.correct_question_ids == {1}
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(1, 800) == Decimal("0.13")  # 0.125 → half up
    assert quiz_score([SINGLE, MULTI], {1: frozenset({11}), 2: frozenset({22})}, pass_mark=50).passed


def test_answers_errors_name_each_problem():
    answers = {1: frozenset({20}), 9: frozenset({1})}
    assert answers_errors([SINGLE, MULTI], answers) == ["unknown_question:9", "unknown_choice:1", "unanswered:2"]
    assert answers_errors([SINGLE], {1: frozenset({10, 11})}) == ["one_choice:1"]
    assert answers_errors([SINGLE, MULTI], {1: frozenset({11}), 2: frozenset({20, 22})}) == []


@pytest.mark.parametrize(
    ("kind", "choices", "correct", "problem"),
    [
        ("single", 1, 1, "too_few_choices"),
        ("single", 3, 0, "single_needs_one_correct"),
        ("single", 3, 2, "single_needs_one_correct"),
        ("single", 2, 1, None),
        ("multiple", 3, 0, "multiple_needs_a_correct"),
        ("multiple", 3, 3, None),
    ],
)
def test_question_validity(kind, choices, correct, problem):
    assert question_problem(kind=kind, choices=choices, correct=correct) == problem


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime(2026, 1, 31, 9, 30, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2029, 2, 28, tzinfo=UTC)),
        (datetime(2026, 11, 15, tzinfo=UTC), 24, datetime(2028, 11, 15, tzinfo=UTC)),
        (datetime(2026, 12, 31, tzinfo=UTC), 2, datetime(2027, 2, 28, tzinfo=UTC)),
    ],
)
def test_calendar_months(start, months, end):
    assert add_months(start, months) == end


def test_a_certification_without_months_never_expires():
    assert certification_expiry(datetime(2026, 1, 1, tzinfo=UTC), None) is None


def test_reminder_is_due_within_thirty_days_before_expiry_only():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert reminder_due(expires_at=now + timedelta(days=30), now=now)
    assert reminder_due(expires_at=now + timedelta(hours=1), now=now)
    assert not reminder_due(expires_at=now + timedelta(days=30, seconds=1), now=now)
    assert not reminder_due(expires_at=now, now=now)  # expired: no reminder
    assert not reminder_due(expires_at=None, now=now)


def test_certificate_codes_are_readable_and_random():
    codes = {certificate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        left, right = code.split("-")
        assert len(left) == len(right) == 4
        assert set(left + right) <= set(CODE_ALPHABET)
