"""ISO 3166-1 alpha-2 country codes (pure): what a partner profile's `country` may hold."""

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

# CLDR also names regions (EU, UN …), private-use and exceptionally reserved codes: none is a country.
_NOT_COUNTRIES = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"})
_ENGLISH = Locale("en")
COUNTRY_CODES = frozenset(
    code for code in _ENGLISH.territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)


def is_country_code(value: str) -> bool:
    return value in COUNTRY_CODES


def _locale() -> Locale:
    try:
        return Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return _ENGLISH


def country_name(code: str) -> str:
    if not code:
        return ""
    return _locale().territories.get(code) or _ENGLISH.territories.get(code) or code


def country_choices() -> list[tuple[str, str]]:
    """(code, name in the active language), sorted by name."""
    names = _locale().territories
    return sorted(((code, names.get(code, code)) for code in COUNTRY_CODES), key=lambda item: item[1])
