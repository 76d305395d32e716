"""Pure deal rules (no ORM): how company names are normalised before matching."""

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


def normalise_company_name(name: str) -> str:
    """`"Ácme Cloud, Inc."` → `"acme cloud"`: lower case, accents and punctuation removed, legal forms dropped.

    A name that is nothing but legal forms keeps them (so "Holding AG" still has something to match).
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = [word for word in _NON_WORD.split(text) if word]
    meaningful = [word for word in words if word not in LEGAL_SUFFIXES]
    return " ".join(meaningful or words)
