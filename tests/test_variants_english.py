"""American and British English beyond the templates' word table: the plan report's words,
commas after the year, one salutation and closing style per letter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import TODAY
from samples import SCENARIOS, example, variants

import phrasebook
from phrasebook import load_catalog, rehearse
from phrasebook.cli import cli


def test_plan_in_american_english_counts_business_days(runner) -> None:
    result = runner.invoke(cli, ["plan", "--today", "2026-11-28", "-e", "5", "--explain", "--lang", "en_US"])
    assert result.exit_code == 0, result.output
    assert "working day" not in result.stdout.lower()
    assert "Internal target  Monday, December 7, 2026     5 business days of work\n" in result.stdout
    assert "- Business days are Monday to Friday," in result.stdout
    assert "- Saturday, November 28, 2026, is not a business day, so the request counts from" in result.stdout
    assert "If the client pushes back, Tuesday, December 8, 2026, can be conceded;" in result.stdout


def test_plan_in_british_english_keeps_working_days(runner) -> None:
    result = runner.invoke(cli, ["plan", "--today", "2026-11-28", "-e", "5", "--explain", "--lang", "en_GB"])
    assert result.exit_code == 0, result.output
    assert "business day" not in result.stdout.lower()
    assert "- Saturday, 28 November 2026 is not a working day" in result.stdout


def test_a_year_before_the_next_word_takes_a_comma_in_american_english() -> None:
    params = {**example("payment-reminder", "en_US"), "reminder_level": "second", "previous_reminder": "2026-11-20"}
    body = phrasebook.render("payment-reminder", "en_US", params, today=TODAY).body
    assert "On November 20, 2026, I sent you a reminder about the following invoice:" in body
    british = {**example("payment-reminder", "en"), "reminder_level": "second", "previous_reminder": "2026-11-20"}
    assert "On 20 November 2026 I sent you" in phrasebook.render("payment-reminder", "en", british, today=TODAY).body


@pytest.mark.parametrize("level", ["first", "second"])
@pytest.mark.parametrize("formality", ["formal", "informal"])
def test_payment_reminders_ask_for_payment_in_each_english(level: str, formality: str) -> None:
    extra = {"reminder_level": level, "formality": formality}
    if level == "second":
        extra["previous_reminder"] = "2026-11-20"
    american = phrasebook.render("payment-reminder", "en_US", {**example("payment-reminder", "en_US"), **extra},
                                 today=TODAY).body
    british = phrasebook.render("payment-reminder", "en", {**example("payment-reminder", "en"), **extra},
                                today=TODAY).body
    assert "transfer" not in american and "bank details" not in american
    if level == "first":
        assert "Please send payment by" in american
        assert re.search(r"(find the|The) payment details (on|are on) the invoice", american)
        assert "Please transfer the amount by" in british and "bank details" in british
    else:
        assert "Please pay the outstanding balance by" in american
        assert "Please transfer the outstanding amount by" in british


@pytest.mark.parametrize("name", SCENARIOS)
def test_american_letters_use_one_salutation_and_closing_style(name: str) -> None:
    doc = phrasebook.render(name, "en_US", example(name, "en_US"), today=TODAY)
    salutations = re.findall(r"(?m)^(?:Dear|Hi|Hello) .*$", doc.body)
    assert salutations and all(line.endswith(",") for line in salutations), salutations
    assert not re.search(r"\b(?:Mr|Ms|Mrs|Dr|Mx)\s", doc.body)  # "Ms. Miller", never "Ms Miller"
    assert "Best regards," in doc.body or "All the best," in doc.body
    assert "Kind regards" not in doc.body and "working day" not in doc.body


def _typographic(value: Any) -> Any:
    """A value with typographic apostrophes and quotes: what the user typed stays out of the test."""
    if isinstance(value, str):
        return value.replace("'", "’").replace('"', "”")
    if isinstance(value, dict):
        return {key: _typographic(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typographic(item) for item in value]
    return value


def _english_cases():
    for name in SCENARIOS:
        for lang in ("en", "en_US", "de", "de_CH"):
            for label, params in variants(name, lang):
                yield pytest.param(name, lang, _typographic(params), id=f"{name}-{lang}-{label}")


@pytest.mark.parametrize(("name", "lang", "params"), list(_english_cases()))
def test_texts_have_typographic_apostrophes_and_quotes(name: str, lang: str, params: dict) -> None:
    doc = phrasebook.render(name, lang, params, today=TODAY, fmt="text")
    for text in (doc.subject, doc.body):
        assert "'" not in text, [line for line in text.splitlines() if "'" in line]
        assert '"' not in text, [line for line in text.splitlines() if '"' in line]
    if name in rehearse.available(lang):
        script = rehearse.load_script(name, lang, params, today=TODAY).markdown
        assert "'" not in script, [line for line in script.splitlines() if "'" in line]
        assert '"' not in script, [line for line in script.splitlines() if '"' in line]


@pytest.mark.parametrize(
    "answer", ["I'll just squeeze it in.", "I’ll just squeeze it in.", "No problem, I can do that."]
)
def test_the_rehearsal_hears_giving_in_with_either_apostrophe(answer: str) -> None:
    script = rehearse.load_script("scope-decline", "en", example("scope-decline", "en"), today=TODAY)
    assert script.listener is not None
    notes = script.listener.hear("objections", answer, "prepared")
    assert any("gives up the boundary" in note for note in notes), notes
    if "squeeze" in answer:  # the note quotes the answer as it was typed
        assert f"“{answer[:-1]}”" in notes[0]


@pytest.mark.parametrize("text", ["I'm sorry, but I can't do that.", "I’m sorry, but I can’t do that."])
def test_lint_reads_either_apostrophe(text: str) -> None:
    from phrasebook.lint import lint_text

    assert "sorry-but" in {finding.rule for finding in lint_text(text, "en")}


@pytest.mark.parametrize("name", SCENARIOS)
def test_help_texts_have_typographic_apostrophes_and_quotes(name: str) -> None:
    # what `show` and `render SCENARIO --help` print, in English and German
    spec = load_catalog().scenario(name)
    texts = [*spec.summary.values()] if isinstance(spec.summary, dict) else [spec.summary]
    for param in spec.params:
        texts += [*param.help.values(), *(text for field in param.fields for text in field.help.values())]
    straight = [text for text in texts if "'" in text or '"' in text]
    assert straight == []


def test_a_state_check_typed_with_a_typographic_apostrophe_is_understood() -> None:
    from phrasebook.listening import plain

    assert plain("I don’t know") == "I don't know"
