"""Real inputs through the command line: what users type, and the sense checks on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchkit import write_csv
from conftest import TODAY
from samples import fixture_path

import phrasebook
from phrasebook.cli import cli
from phrasebook.l10n import resolve_language
from phrasebook.phrases import in_project

ARGS = ["--today", TODAY.isoformat()]


def render(runner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["render", *args, *ARGS])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "Sehr geehrte Damen und Herren,"), ("en", "Dear Sir or Madam,"), ("en_US", "Dear Sir or Madam,")],
)
def test_a_letter_to_an_organisation_from_the_command_line(runner, lang: str, expected: str) -> None:
    result = render(runner, "scope-decline", "--lang", lang, "--example", "--set", "recipient.last_name=",
                    "--set", "recipient.first_name=", "--set", "recipient.title=",
                    "--set", "recipient.organisation=Weber Digital")
    assert result.exit_code == 0, result.output
    assert f"\n{expected}\n" in result.stdout


def test_a_title_with_degrees_from_a_parameters_file(runner, tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("recipient:\n  title: Prof. Dr.-Ing. Dipl.-Kfm.\n  gender: male\n  last_name: von Weizsäcker\n",
                      encoding="utf-8")
    for lang, expected in (("de", "Sehr geehrter Herr Professor von Weizsäcker,"),
                           ("en", "Dear Professor von Weizsäcker,")):
        result = render(runner, "deadline-offer", "--lang", lang, "--example", "--params", str(params))
        assert result.exit_code == 0, result.output
        assert f"\n{expected}\n" in result.stdout


def test_several_recipients_in_a_batch_file(runner, tmp_path: Path) -> None:
    columns = ["recipient.last_name", "recipient.gender", "recipient2.last_name", "recipient2.gender",
               "recipient2.title", "sender.name", "deliverable", "deadline"]
    write_csv(tmp_path / "rows.csv", [["Müller", "female", "Weber", "male", "Dr. med.", "Anna", "das Konzept",
                                       "2026-12-02"]], columns=columns)
    result = runner.invoke(cli, ["batch", "deadline-offer", str(tmp_path / "rows.csv"), "--lang", "de",
                                 "-o", str(tmp_path / "out"), "--format", "text", *ARGS])
    assert result.exit_code == 0, result.output
    (letter,) = (tmp_path / "out").glob("*.txt")
    assert "\n\nSehr geehrte Frau Müller, sehr geehrter Herr Dr. Weber,\n" in letter.read_text(encoding="utf-8")


def test_null_in_a_parameters_file_is_not_given(runner, tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("recipient: {title: null, gender: female, last_name: Müller}\n", encoding="utf-8")
    result = render(runner, "deadline-offer", "--lang", "de", "--example", "--params", str(params))
    assert result.exit_code == 0, result.output
    assert "\nSehr geehrte Frau Müller,\n" in result.stdout
    assert "null" not in result.stdout


@pytest.mark.parametrize("lang", ["de", "en", "en_US"])
@pytest.mark.parametrize("amount", ["1234.5", "1234,50"])
def test_machine_numbers_in_every_language(runner, lang: str, amount: str) -> None:
    result = render(runner, "scope-decline", "--lang", lang, "--example", "--set", f"extra_price={amount}")
    assert result.exit_code == 0, result.output
    assert ("1.234,50" if lang == "de" else "1,234.50") in result.stdout


def test_an_ambiguous_number_stays_an_error(runner) -> None:
    result = render(runner, "scope-decline", "--lang", "en", "--example", "--set", "extra_price=1.234")
    assert result.exit_code == 2
    assert "extra_price: '1.234' has more than two decimal places" in result.stderr


def test_a_nominative_is_refused_and_a_bare_noun_gets_a_hint(runner) -> None:
    refused = render(runner, "deadline-offer", "--lang", "de", "--example", "--set", "deliverable=der Entwurf")
    assert refused.exit_code == 2
    assert "deliverable: 'der Entwurf' is not in the accusative the sentence needs (did you mean 'den Entwurf'?)" in (
        refused.stderr
    )
    for lang, word, example in (("de", "Konzept", "das Konzept"), ("en", "concept", "the concept")):
        hinted = render(runner, "deadline-offer", "--lang", lang, "--example", "--set", f"deliverable={word}")
        assert hinted.exit_code == 0, hinted.output
        assert f"Note: deliverable: '{word}' has no article; the letter reads better with one, e.g. '{example}'" in (
            hinted.stderr
        )


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [("Website-Projekt", "de", "im Website-Projekt"), ("Relaunch 2026", "de", "im Projekt „Relaunch 2026“"),
     ("Projekt Phoenix", "de", "im „Projekt Phoenix“"), ("the website redesign", "en", "on the website redesign"),
     ("website redesign", "en", "on the website redesign"), ("Phoenix", "en", "on the Phoenix project"),
     ("Phoenix Project", "en_US", "on the Phoenix Project")],
)
def test_project_names_are_not_doubled(name: str, lang: str, expected: str) -> None:
    assert in_project(name, language=resolve_language(lang)) == expected


def test_the_project_phrase_in_a_farewell(runner) -> None:
    result = render(runner, "farewell", "--lang", "de", "--example", "--set", "project=Website-Projekt")
    assert "Zusammenarbeit im Website-Projekt." in result.stdout
    assert "Projekt „Website-Projekt“" not in result.stdout


@pytest.mark.parametrize(("lang", "expected"), [("de", "'6' needs a unit (did you mean '6 Wochen'?)"),
                                                ("en", "'6' needs a unit (did you mean '6 weeks'?)")])
def test_a_duration_needs_a_unit(runner, lang: str, expected: str) -> None:
    result = render(runner, "onboarding-pack", "--lang", lang, "--example", "--set", "duration=6")
    assert result.exit_code == 2
    assert f"duration: {expected}" in result.stderr


def test_a_duration_that_contradicts_the_dates_is_reported(runner) -> None:
    result = render(runner, "onboarding-pack", "--lang", "de", "--params", fixture_path("onboarding-pack", "de"),
                    "--set", "duration=2 Wochen",
                    "--set", "start_date=2026-12-01", "--set", "end_date=2027-02-26")
    assert result.exit_code == 2
    assert "duration: '2 Wochen' does not fit start_date (2026-12-01) and end_date (2027-02-26), 12 weeks apart" in (
        result.stderr
    )
    fits = render(runner, "onboarding-pack", "--lang", "de", "--params", fixture_path("onboarding-pack", "de"),
                  "--set", "duration=drei Monate",
                  "--set", "start_date=2026-12-01", "--set", "end_date=2027-02-26")
    assert fits.exit_code == 0, fits.output


def test_a_final_invoice_on_a_weekend_is_refused(runner) -> None:
    result = render(runner, "farewell", "--lang", "de", "--example", "--set", "final_invoice=2026-12-26")
    assert result.exit_code == 2
    assert "final_invoice: 2026-12-26 is a Saturday; the next working day is 2026-12-28 (Monday)" in result.stderr


def test_a_farewell_on_its_last_day_says_so() -> None:
    params = {"recipient": {"gender": "female", "last_name": "Müller"}, "sender": {"name": "Anna"},
              "end_date": TODAY.isoformat()}
    german = phrasebook.render("farewell", "de", params, today=TODAY)
    assert "Unsere Zusammenarbeit endet heute" in german.subject
    assert "Heute endet unsere Zusammenarbeit" in german.body
    english = phrasebook.render("farewell", "en", params, today=TODAY)
    assert "Today is the last day of our work together" in english.body


def test_a_deadline_offer_without_a_reason_gets_a_note(runner) -> None:
    result = render(runner, "deadline-offer", "--lang", "de", "--example", "--set", "reason=")
    assert result.exit_code == 0
    assert "Note: reason: none given; one sentence on why this date serves the client makes it credible" in (
        result.stderr
    )


def test_a_reason_that_names_an_earlier_date_gets_a_note(runner) -> None:
    result = render(runner, "deadline-offer", "--lang", "de", "--example", "--set", "deadline=2026-12-15",
                    "--set", "reason=Damit haben Sie vor der Vorstandssitzung am 4. Dezember alles.")
    assert result.exit_code == 0
    assert "Note: reason: names 2026-12-04, before the promised date 2026-12-15; does the reason still fit?" in (
        result.stderr
    )
    later = render(runner, "deadline-offer", "--lang", "de", "--example", "--set", "deadline=2026-12-15",
                   "--set", "reason=Damit haben Sie vor der Sitzung am 18. Dezember alles.")
    assert "Note: reason:" not in later.stderr


def test_json_lines_keep_types_where_they_belong(runner, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"recipient.last_name": "Müller", "recipient.gender": "female", "sender.name": "A", '
        '"deliverable": "das Konzept", "deadline": "2026-12-02", "relative": true}\n'
        '{"recipient.last_name": 42, "recipient.gender": "female", "sender.name": "A", '
        '"deliverable": true, "deadline": "2026-12-02", "recipient.title": null}\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["batch", "deadline-offer", str(rows), "--lang", "de", "-o", str(tmp_path / "out"),
                                 *ARGS])
    assert result.exit_code == 1
    assert "rows.jsonl:2: deliverable: True expected text, got yes/no; recipient.last_name: 42 expected text, " \
           "got a number" in result.stderr
    assert len(list((tmp_path / "out").glob("*.md"))) == 1
