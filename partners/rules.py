"""Pure partner rules: lifecycle transitions and onboarding progress (no ORM)."""

from datetime import date

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
