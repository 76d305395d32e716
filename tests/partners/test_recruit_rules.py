"""Pure recruitment rules: decisions by status, program questions and answers, country codes."""

import pytest

from partners.application_rules import Question, can_decide, clean_answers, is_open, program_questions
from partners.countries import COUNTRY_CODES, country_choices, is_country, normalise_country


@pytest.mark.parametrize("action", ["approve", "reject", "request_info"])
def test_decisions_are_allowed_only_while_the_application_is_open(action):
    assert can_decide(action, "submitted")
    assert can_decide(action, "info_requested")
    assert not can_decide(action, "approved")
    assert not can_decide(action, "rejected")
    assert is_open("info_requested") and not is_open("rejected")


def test_program_questions_skip_entries_without_a_usable_key():
    raw = [
        {"key": "why", "label": "Why?", "required": True},
        {"label": "No key"},
        "not a dict",
        {"key": "why", "label": "Repeated"},
        {"key": "team"},
    ]
    assert program_questions(raw) == [Question("why", "Why?", True), Question("team", "team", False)]
    assert program_questions(None) == [] and program_questions({"key": "x"}) == []


def test_answers_keep_known_questions_and_report_each_problem():
    questions = [Question("why", "Why?", True), Question("team", "Team", False)]
    assert clean_answers(questions, {"why": "  Growth ", "team": ""}) == ({"why": "Growth"}, {})
    cleaned, errors = clean_answers(questions, {"team": 5, "colour": "blue"})
    assert cleaned == {}
    assert set(errors) == {"answers.why", "answers.team", "answers.colour"}
    assert "answers" in clean_answers(questions, ["Growth"])[1]
    assert clean_answers(questions, {"why": "x" * 2001})[1].keys() == {"answers.why"}


def test_country_codes_are_the_249_iso_3166_alpha_2_codes():
    assert len(COUNTRY_CODES) == 249
    assert is_country("NL") and is_country(normalise_country(" de ")) and is_country("AQ")
    assert not any(is_country(code) for code in ("EU", "UN", "XK", "ZZ", "NLD", "Netherlands", ""))


def test_country_names_follow_the_active_language():
    from django.utils import translation

    with translation.override("nl"):
        assert ("DE", "Duitsland") in country_choices()
    with translation.override("en"):
        names = [name for _code, name in country_choices()]
        assert "Germany" in names and names == sorted(names)
