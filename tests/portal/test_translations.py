"""PRM's own translations (locale/): the catalogs are complete and compiled, and pages use them.

The .po/.mo checks are pure Python, so they run where gettext tools are not installed.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import portal_client

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# Our msgstrs for the sign-in page: its title ("Sign in") and lead ("to %(title)s" with the
# tenant's default title "%(name)s Partner Portal"). Both come only from PRM's catalog
# (allauth's own "Sign In" would not produce the lead line).
SIGN_IN = {
    "es": ("Iniciar sesión", "en Portal de partners de Acme Cloud"),
    "nl": ("Aanmelden", "bij Partnerportaal van Acme Cloud"),
    "ar": ("تسجيل الدخول", "إلى بوابة شركاء Acme Cloud"),
}

PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|<[^>]+>|&[a-z]+;")


# --- A tiny .po reader (polib is not a dependency) ------------------------------------
def read_po(path: Path) -> list[dict]:
    """Entries as {"flags", "msgctxt"?, "msgid", "msgid_plural"?, "msgstr": {form: text}}.

    Enough for what makemessages writes: blank-line separated entries with comments, flags,
    msgctxt, plurals and continued strings. Obsolete entries (#~) are skipped.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, field = {"flags": set(), "msgstr": {}}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if isinstance(field, int):
                    entry["msgstr"][field] += text
                else:
                    entry[field] += text
            else:
                keyword, _space, rest = line.partition(" ")
                form = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
                field = int(form.group(1) or 0) if form else keyword
                target = entry["msgstr"] if form else entry
                target[field] = ast.literal_eval(rest)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def po_header(entries: list[dict]) -> dict:
    header = next(e for e in entries if e["msgid"] == "" and "msgctxt" not in e)
    return dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines() if ": " in line)


def catalogs() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


# --- Catalogs -------------------------------------------------------------------------
def test_every_translated_language_has_a_catalog():
    assert {path.parent.parent.name for path in catalogs()} >= set(TRANSLATED)


@pytest.mark.parametrize("po_path", catalogs(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_catalog_is_complete_and_compiled(po_path):
    language = po_path.parent.parent.name
    entries = read_po(po_path)
    header = po_header(entries)
    messages = [e for e in entries if e["msgid"] != "" or "msgctxt" in e]
    assert messages, "empty catalog"

    assert "fuzzy" not in next(e for e in entries if e["msgid"] == "")["flags"]
    assert header["Language"] == language
    assert "charset=UTF-8" in header["Content-Type"]
    nplurals = int(re.search(r"nplurals=(\d+)", header["Plural-Forms"]).group(1))

    for entry in messages:
        where = f"{language}: {entry['msgid']!r}"
        assert "fuzzy" not in entry["flags"], f"fuzzy entry {where}"
        expected_forms = set(range(nplurals)) if "msgid_plural" in entry else {0}
        assert set(entry["msgstr"]) == expected_forms, f"wrong plural forms {where}"
        for text in entry["msgstr"].values():
            assert text.strip(), f"empty msgstr {where}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry["msgid"])), (
                f"placeholders or markup differ {where}: {text!r}"
            )

    # The committed .mo must be compiled from this .po. (Compared by content, not by
    # modification time: a git checkout writes django.mo before django.po.)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run compilemessages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == language
    assert compiled.info()["plural-forms"] == header["Plural-Forms"]
    catalog = compiled._catalog
    for entry in messages:
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for index, text in entry["msgstr"].items():
                assert catalog.get((msgid, index)) == text, f"{mo_path} is stale: recompile ({msgid!r})"
        else:
            assert catalog.get(msgid) == entry["msgstr"][0], f"{mo_path} is stale: recompile ({msgid!r})"
    singular_count = sum(1 for key in catalog if isinstance(key, str) and key)
    plural_count = len({key[0] for key in catalog if isinstance(key, tuple)})
    assert singular_count + plural_count == len(messages), f"{mo_path} has other messages: recompile"


# --- Pages ------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(SIGN_IN))
def test_language_switcher_translates_the_sign_in_page(tenant_a, code):
    client = portal_client(tenant_a)
    response = client.post("/i18n/setlang/", {"language": code, "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"

    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == code
    html = response.content.decode()
    title, lead = SIGN_IN[code]
    assert f"<h1>{title}</h1>" in html
    assert lead in html
    assert "<h1>Sign in</h1>" not in html
    assert f'lang="{code}"' in html
    assert ('dir="rtl"' in html) is (code == "ar")


def test_tenant_default_language_applies_to_anonymous_visitors(tenant_a):
    tenant_a.default_language = "nl"
    tenant_a.save()
    response = portal_client(tenant_a).get("/accounts/login/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    html = response.content.decode()
    title, lead = SIGN_IN["nl"]
    assert f"<h1>{title}</h1>" in html and lead in html


def test_visitor_choice_beats_tenant_default(tenant_a):
    tenant_a.default_language = "nl"
    tenant_a.save()
    client = portal_client(tenant_a)
    client.post("/i18n/setlang/", {"language": "es", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "es"
    assert f"<h1>{SIGN_IN['es'][0]}</h1>" in response.content.decode()
