"""Pure partner rules: lifecycle transitions and onboarding progress (no ORM)."""

from datetime import date

from django.utils.translation import gettext as _

from .models.partner import PartnerStatus

S = PartnerStatus
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLICANT: frozenset({S.ONBOARDING, S.OFFBOARDED}),
    S.ONBOARDING: frozenset({S.ACTIVE, S.SUSPENDED, S.OFFBOARDED}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.OFFBOARDED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.ONBOARDING, S.OFFBOARDED}),
    S.OFFBOARDED: frozenset(),
}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def onboarding_progress(*, required_total: int, required_done: int) -> int:
    """Whole percent of required steps done; a checklist with no required steps is complete."""
    if required_total <= 0:
        return 100
    return (100 * required_done) // required_total


def days_between(start: date, end: date) -> int:
    return max((end - start).days, 0)


# What a "complete profile" means: the fields coverage analysis and lead matching rely on.
PROFILE_REQUIRED_FIELDS = ("description", "country", "regions", "types", "verticals", "capabilities", "company_size")


def missing_profile_fields(values: dict) -> list[str]:
    return [field for field in PROFILE_REQUIRED_FIELDS if not values.get(field)]


# --- Onboarding pace (ONBOARD) ------------------------------------------------------------------
# A partner in onboarding with no step completed for this long is stalled and gets a reminder,
# and is not reminded again sooner than this after the last reminder.
STALL_AFTER_DAYS = 7
REMIND_EVERY_DAYS = 7


def onboarding_days(*, joined_on: date, today: date, onboarded_on: date | None = None) -> int:
    """Days spent onboarding: until today, or until the day onboarding ended."""
    return days_between(joined_on, onboarded_on or today)


def onboarding_days_left(*, days: int, target_days: int) -> int:
    """Days left before the target (negative: that many days over it)."""
    return target_days - days


def onboarding_is_stalled(*, last_activity_on: date, today: date) -> bool:
    """No step completed (or, before the first one, no joining) within STALL_AFTER_DAYS."""
    return days_between(last_activity_on, today) >= STALL_AFTER_DAYS


def onboarding_reminder_due(*, last_activity_on: date, reminded_on: date | None, today: date) -> bool:
    if not onboarding_is_stalled(last_activity_on=last_activity_on, today=today):
        return False
    return reminded_on is None or days_between(reminded_on, today) >= REMIND_EVERY_DAYS


def onboarding_risk(*, progress: int, days: int, target_days: int, stalled: bool) -> tuple:
    """Sort key, riskiest first: over target, then stalled, then least time left per missing percent."""
    days_left = onboarding_days_left(days=days, target_days=target_days)
    return (days_left >= 0, not stalled, days_left, progress)


def application_questions_errors(questions) -> list[str]:
    """What is wrong with a program's application questions: [{"key", "label", "required"?}, …]."""
    if not isinstance(questions, list):
        return [_("Give a list of questions.")]
    errors, keys = [], set()
    for index, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            errors.append(_("Question %(n)d: give an object with a key and a label.") % {"n": index})
            continue
        key, label = question.get("key"), question.get("label")
        if not isinstance(key, str) or not key.strip() or not isinstance(label, str) or not label.strip():
            errors.append(_("Question %(n)d: needs a key and a label.") % {"n": index})
        elif key in keys:
            errors.append(_("Question %(n)d: the key “%(key)s” is used twice.") % {"n": index, "key": key})
        else:
            keys.add(key)
        if "required" in question and not isinstance(question["required"], bool):
            errors.append(_("Question %(n)d: “required” must be true or false.") % {"n": index})
        unknown = set(question) - {"key", "label", "required"}
        if unknown:
            errors.append(
                _("Question %(n)d: unknown fields %(fields)s.") % {"n": index, "fields": ", ".join(sorted(unknown))}
            )
    return errors
