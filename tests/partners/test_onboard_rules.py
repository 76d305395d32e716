"""The pure onboarding rules: days, stalling, reminders, risk order, application questions."""

from datetime import date

from partners.rules import (
    REMIND_EVERY_DAYS,
    STALL_AFTER_DAYS,
    application_questions_errors,
    onboarding_days,
    onboarding_days_left,
    onboarding_is_stalled,
    onboarding_reminder_due,
    onboarding_risk,
)

TODAY = date(2026, 3, 31)


def test_days_count_until_today_or_until_onboarded():
    assert onboarding_days(joined_on=date(2026, 3, 1), today=TODAY) == 30
    assert onboarding_days(joined_on=date(2026, 3, 1), today=TODAY, onboarded_on=date(2026, 3, 11)) == 10
    assert onboarding_days(joined_on=date(2026, 4, 2), today=TODAY) == 0  # never negative
    assert onboarding_days_left(days=30, target_days=60) == 30
    assert onboarding_days_left(days=75, target_days=60) == -15


def test_stalled_after_a_week_without_a_completed_step():
    assert STALL_AFTER_DAYS == 7
    assert not onboarding_is_stalled(last_activity_on=date(2026, 3, 25), today=TODAY)
    assert onboarding_is_stalled(last_activity_on=date(2026, 3, 24), today=TODAY)


def test_a_reminder_is_due_when_stalled_and_not_reminded_within_a_week():
    stalled = date(2026, 3, 1)
    assert onboarding_reminder_due(last_activity_on=stalled, reminded_on=None, today=TODAY)
    assert not onboarding_reminder_due(last_activity_on=stalled, reminded_on=TODAY, today=TODAY)
    assert not onboarding_reminder_due(last_activity_on=stalled, reminded_on=date(2026, 3, 25), today=TODAY)
    assert onboarding_reminder_due(
        last_activity_on=stalled, reminded_on=date(2026, 3, 31 - REMIND_EVERY_DAYS), today=TODAY
    )
    assert not onboarding_reminder_due(last_activity_on=date(2026, 3, 30), reminded_on=None, today=TODAY)


def test_risk_orders_over_target_then_stalled_then_least_time_left():
    over = onboarding_risk(progress=90, days=70, target_days=60, stalled=False)
    stalled = onboarding_risk(progress=10, days=20, target_days=60, stalled=True)
    late = onboarding_risk(progress=50, days=50, target_days=60, stalled=False)
    early = onboarding_risk(progress=0, days=1, target_days=60, stalled=False)
    assert sorted([early, late, stalled, over]) == [over, stalled, late, early]


def test_application_questions_shape():
    assert application_questions_errors([]) == []
    assert application_questions_errors([{"key": "why", "label": "Why us?", "required": True}]) == []
    assert application_questions_errors("why") == ["Give a list of questions."]
    errors = application_questions_errors(
        [
            {"key": "why", "label": "Why?"},
            {"key": "why", "label": "Again"},
            {"label": "No key"},
            {"key": "x", "label": "X", "required": "yes", "extra": 1},
        ]
    )
    assert errors == [
        "Question 2: the key “why” is used twice.",
        "Question 3: needs a key and a label.",
        "Question 4: “required” must be true or false.",
        "Question 4: unknown fields extra.",
    ]
