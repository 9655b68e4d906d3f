"""The linter knows the regional variants: an ß in Swiss German and British words in American
English are findings of the rule ``variant``, with the variant's word as the suggestion."""

from __future__ import annotations

import pytest
from conftest import TODAY
from samples import SCENARIOS, VARIANTS, example

import phrasebook
from phrasebook.cli import cli
from phrasebook.lint import lint_text

US_TEXT = "We start straight away. The catalogue and the organisation are ready.\n"


def _variant(text: str, lang: str, **kwargs) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.match, f.severity, f.suggestions) for f in lint_text(text, lang, **kwargs) if f.rule == "variant"]


def test_american_english_reports_british_words_with_the_american_one() -> None:
    assert _variant(US_TEXT, "en_US") == [
        ("straight away", "warning", ("right away",)),
        ("catalogue", "warning", ("catalog",)),
        ("organisation", "warning", ("organization",)),
    ]
    assert _variant("Five working days.\nKind regards", "en-US") == [
        ("working days", "warning", ("business days",)),
        ("Kind regards", "warning", ("Best regards",)),
    ]


def test_swiss_german_reports_every_word_with_sharp_s() -> None:
    assert _variant("Freundliche Grüße, schließlich GROẞ und gross.", "de_CH") == [
        ("Grüße", "warning", ("Grüsse",)),
        ("schließlich", "warning", ("schliesslich",)),
    ]


@pytest.mark.parametrize("lang", ["en", "de", "de_AT", "auto"])
def test_languages_without_a_variant_word_list_report_nothing_of_it(lang: str) -> None:
    assert _variant(US_TEXT + "Freundliche Grüße", lang) == []


def test_the_variant_can_be_given_with_the_rules_and_switched_off_in_markdown() -> None:
    assert _variant(US_TEXT, "en", variant="en_US")[0][0] == "straight away"
    text = "<!-- phrasebook: disable=variant -->\n" + US_TEXT
    assert _variant(text, "en_US", markdown=True) == []


def test_lint_command_in_american_english(runner, tmp_path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(US_TEXT, encoding="utf-8")
    result = runner.invoke(cli, ["lint", "--lang", "en_US", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{path}:1:10 variant “straight away”: en_US writes this differently. → right away\n"
        f"{path}:1:29 variant “catalogue”: en_US writes this differently. → catalog\n"
        f"{path}:1:47 variant “organisation”: en_US writes this differently. → organization\n"
    )
    assert runner.invoke(cli, ["lint", "--lang", "en_GB", str(path)]).stdout == ""


def test_lint_command_in_swiss_german_speaks_german(runner, tmp_path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text("Freundliche Grüße\n", encoding="utf-8")
    result = runner.invoke(cli, ["lint", "--lang", "de_CH", str(path)])
    assert result.stdout == f"{path}:1:13 variant „Grüße“: In de_CH schreibt man das anders. → Grüsse\n"


def test_an_unknown_lint_language_lists_every_language(runner, tmp_path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Hello.\n", encoding="utf-8")
    result = runner.invoke(cli, ["lint", "--lang", "de_LU", str(path)])
    assert result.exit_code == 2
    assert "expected one of: auto, de, de_DE, de_AT, de_CH, en, en_GB, en_US" in result.stderr


@pytest.mark.parametrize("lang", VARIANTS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_shipped_variant_texts_have_no_variant_findings(name: str, lang: str) -> None:
    doc = phrasebook.render(name, lang, example(name, lang), today=TODAY)
    assert _variant(doc.subject + "\n\n" + doc.body, lang) == []
