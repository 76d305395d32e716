"""ISO 3166-1 alpha-2 country codes and their names in the active language (pure; from Babel's CLDR data)."""

from functools import cache

from babel import Locale
from django.utils.translation import get_language

# CLDR territories with two letters that are not ISO 3166-1 countries: exceptionally reserved
# codes (AC, CP, …), groupings (EU, EZ, UN, QO), private-use codes (XA, XB, XK) and "unknown" (ZZ).
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})

COUNTRY_CODES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)


def normalise_country(value: str) -> str:
    """` nl ` → `NL`; the result is a country only if `is_country(...)` says so."""
    return (value or "").strip().upper()


def is_country(code: str) -> bool:
    return code in COUNTRY_CODES


@cache
def _choices_for(language: str) -> tuple[tuple[str, str], ...]:
    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except (ValueError, LookupError):
        names = Locale("en").territories
    return tuple(sorted(((code, names.get(code, code)) for code in COUNTRY_CODES), key=lambda pair: pair[1]))


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, in the active language."""
    return list(_choices_for(get_language() or "en"))


def country_name(code: str) -> str:
    return dict(_choices_for(get_language() or "en")).get(code, code)
