"""Every command takes the regional variants: list, render with a client profile, batch, plan,
rehearse and lint; help and errors name all the languages."""

from __future__ import annotations

import pytest
from samples import fixture_path

from phrasebook.cli import cli

ALL = "de, de_DE, de_AT, de_CH, en, en_GB, en_US"


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("de_CH", "Termine und Erreichbarkeit:"), ("de_AT", "Termine und Erreichbarkeit:"),
     ("en_US", "Deadlines and availability:"), ("en_GB", "Deadlines and availability:")],
)
def test_list_in_every_variant(runner, lang: str, heading: str) -> None:
    result = runner.invoke(cli, ["list", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert heading in result.stdout


@pytest.mark.parametrize("command", [["list"], ["render", "farewell"], ["plan", "-e", "3"],
                                     ["rehearse", "farewell", "--print"]])
def test_unknown_language_names_every_language(runner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--lang", "de_LU"])
    assert result.exit_code == 2
    assert f"expected one of: {ALL}" in result.stderr


@pytest.mark.parametrize("command", ["list", "render", "batch", "plan", "rehearse", "lint"])
def test_lang_help_names_every_language(runner, command: str) -> None:
    args = [command, "farewell", "--help"] if command in ("render", "rehearse") else [command, "--help"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "de_AT|de_CH|en|en_GB|en_US" in result.stdout


def test_a_client_profile_in_swiss_german(runner, tmp_path) -> None:
    clients = tmp_path / "clients.yaml"
    clients.write_text(
        "clients:\n  meier:\n    language: de_CH\n    formality: formal\n"
        "    recipient: {last_name: Meier, gender: female}\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, [
        "render", "farewell", "--params", fixture_path("farewell", "de_CH"), "--client", "meier",
        "--clients", str(clients), "--today", "2026-11-24",
    ])
    assert result.exit_code == 0, result.output
    # No --lang: the profile's language decides (the parameters file names the recipient).
    assert "Freundliche Grüsse" in result.stdout and "ß" not in result.stdout


def test_batch_in_swiss_german_reads_swiss_amounts(runner, tmp_path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("recipient.last_name,recipient.gender,final_amount\nMeier,female,1’840.50\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, [
        "batch", "farewell", str(rows), "-o", str(out), "--lang", "de_CH", "-f", "text",
        "--params", fixture_path("farewell", "de_CH"), "--today", "2026-11-24",
    ])
    assert result.exit_code == 0, result.output
    text = (out / "meier.txt").read_text(encoding="utf-8")
    assert "CHF\xa01’840.50" in text and "Freundliche Grüsse" in text and "ß" not in text


def test_plan_in_austrian_german_counts_austrian_holidays(runner) -> None:
    # 8 December is a public holiday in Austria, not in Germany.
    result = runner.invoke(cli, ["plan", "--lang", "de_AT", "-e", "10", "-b", "0", "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "Region             AT" in result.stdout
    assert "Dienstag, 8. Dezember 2026" in result.stdout  # among the skipped days
    assert "Jänner" in runner.invoke(
        cli, ["plan", "--lang", "de_AT", "-e", "30", "-b", "0", "--today", "2026-11-30"]
    ).stdout


def test_rehearsal_sheet_in_american_english(runner) -> None:
    result = runner.invoke(cli, [
        "rehearse", "deadline-offer", "--lang", "en_US", "--params", fixture_path("deadline-offer", "en_US"),
        "--print", "--today", "2026-11-24",
    ])
    assert result.exit_code == 0, result.output
    assert "right away" in result.stdout and "straight away" not in result.stdout
    assert "December 2, 2026" in result.stdout


def test_render_lint_points_out_british_words_in_american_english(runner) -> None:
    result = runner.invoke(cli, [
        "render", "deadline-offer", "--lang", "en_US", "--params", fixture_path("deadline-offer", "en_US"),
        "--set", "reason=The catalogue goes to print straight away.", "--today", "2026-11-24", "--lint",
    ])
    assert result.exit_code == 0, result.output
    assert "variant “catalogue”: en_US writes this differently. → catalog" in result.stderr
    assert "variant “straight away”: en_US writes this differently. → right away" in result.stderr


@pytest.mark.parametrize("command", [["list"], ["show", "reachability"], ["show", "onboarding-pack"]])
def test_swiss_german_list_and_show_write_no_sharp_s(runner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--lang", "de_CH"])
    assert result.exit_code == 0, result.output
    assert "ß" not in result.stdout.split("Beispiel (")[0]  # the example file is shown as it is
    assert "ss" in result.stdout


def test_show_names_the_variant_in_its_save_hint(runner) -> None:
    result = runner.invoke(cli, ["show", "missed-appointment", "--lang", "de_CH"])
    assert "phrasebook show missed-appointment --lang de_CH --example > missed-appointment.de_CH.yaml" in result.stdout
