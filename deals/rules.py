"""Pure deal rules (no ORM): how company names are normalised before matching, review deadlines."""

import datetime
import re
import unicodedata

# Legal forms that say nothing about which company it is ("Acme Inc" and "ACME, Incorporated" match).
LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "plc",
        "gmbh", "ag", "bv", "nv", "sa", "sas", "sarl", "srl", "spa", "sl", "oy", "ab", "as", "aps", "kk", "pty",
        "pte", "group", "holding", "holdings",
    }
)  # fmt: skip
_NON_WORD = re.compile(r"[^0-9a-z]+")
# A dot between two letters joins them: "B.V." is the legal form "bv", "S.A." is "sa".
_LETTER_DOT = re.compile(r"(?<=[a-z])\.(?=[a-z])")


def normalise_company_name(name: str) -> str:
    """`"Ácme Cloud, Inc."` → `"acme cloud"`: lower case, accents and punctuation removed (a dot between two
    letters joins them, so "B.V." reads "bv"), legal forms dropped.

    A name that is nothing but legal forms keeps them (so "Holding AG" still has something to match).
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = [word for word in _NON_WORD.split(_LETTER_DOT.sub("", text)) if word]
    meaningful = [word for word in words if word not in LEGAL_SUFFIXES]
    return " ".join(meaningful or words)


def add_business_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """`start` moved forward by `days` working days (Monday to Friday), keeping the time of day.

    Counted in `start`'s own time zone (pass it in the vendor's): a registration submitted on Friday
    10:00 with a 2-day review time is due on Tuesday 10:00; one submitted on Saturday with 1 day, on
    Monday at the same hour. Public holidays are not known and count as working days.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    moment, left = start, days
    while left:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


# Which registration statuses each action starts from (the services refuse the rest with a 409).
ACTIONS_FROM = {
    "update_draft": frozenset({"draft"}),
    "submit": frozenset({"draft"}),
    "approve": frozenset({"submitted"}),
    "reject": frozenset({"submitted"}),
    "special_pricing": frozenset({"submitted", "approved"}),
    "close_won": frozenset({"approved"}),
    "close_lost": frozenset({"submitted", "approved"}),
}


def action_allowed(action: str, status: str) -> bool:
    return status in ACTIONS_FROM[action]


def actions_allowed(status: str) -> list[str]:
    return [action for action, statuses in ACTIONS_FROM.items() if status in statuses]
