"""The bench generator normalises customer names in SQL (bench/datagen.py); it must agree with
deals.rules.normalise_company_name, or the conflict-check benchmark would search names the app never stores."""

import importlib
from pathlib import Path

import pytest
from django.db import connection

from deals.rules import normalise_company_name

BENCH = Path(__file__).resolve().parents[2] / "bench"

TRICKY_NAMES = [
    "Ácme Cloud, Inc.",
    "ACME   CLOUD INCORPORATED",
    "Müller & Söhne GmbH",
    "Holding AG",
    "Inc. Ltd. GmbH",
    "",
    "   ",
    "--Inc--",
    "Inc. Acme",
    "Co Co Cobalt Co",
    "Straße Groß GmbH & Co. KG",
    "Øresund Ålesund A/S",
    "Ærø Shipping ApS",
    "Łódź Café S.A.",
    "İstanbul Dış Ticaret A.Ş.",
    "L'Oréal S.A.",
    "AT&T Corp.",
    "3M Company",
    "Café\u00a0Nero Ltd",
    "Tab\tSeparated\nLines B.V.",
    "Polder Data B.V.",
    "e.on Energie A.G.",
    "acme.com Inc",
    "Åke's Ölbryggeri AB",
    "ǅemal Ĳssel ½ Corp",
    "Ŀlobet ŉ Test",
    "µ-Systems Oy",
    "北京 Tech Ltd",
    "Ελληνικά Holdings",
    "Nguyễn Đức Thắng Pte",
    "O\u0301scar (combining accent) Sàrl",
    "Société Générale",
    "x² Analytics Pty Ltd",
]


@pytest.fixture
def datagen(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # the bench scripts import their sibling benchlib
    return importlib.import_module("datagen")


@pytest.fixture
def sql_normalise(db, datagen):
    with connection.cursor() as cursor:
        cursor.execute(datagen.normalise_function_sql())

    def normalise(names: list[str]) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {datagen.NORMALISE_FUNCTION}(name) FROM unnest(%s::text[]) WITH ORDINALITY AS n(name, i) "
                "ORDER BY i",
                [names],
            )
            return [row[0] for row in cursor.fetchall()]

    return normalise


def test_sql_normalisation_agrees_with_the_python_rule_on_tricky_names(sql_normalise):
    assert sql_normalise(TRICKY_NAMES) == [normalise_company_name(name) for name in TRICKY_NAMES]


def test_sql_normalisation_agrees_on_every_name_shape_the_generator_writes(sql_normalise, datagen):
    words = [
        *datagen.BRAND_HEADS,
        *datagen.BRAND_TAILS,
        *datagen.ADJECTIVES,
        *datagen.NOUNS,
        *datagen.SECTORS,
    ]
    names = [f"{word} {other}{form}" for word in words for other in ("Data", "Groß") for form in datagen.LEGAL_FORMS]
    names += [name.upper() for name in names[::7]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {datagen.company_name_sql('k')} FROM generate_series(1, 2000) AS k",
            datagen.DEAL_WORDS,
        )
        names += [row[0] for row in cursor.fetchall()]
    assert sql_normalise(names) == [normalise_company_name(name) for name in names]
