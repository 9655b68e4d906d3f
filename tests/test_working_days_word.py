"""One word for working days per language, in letters, rehearsal scripts, plan, help and show.

German says „Arbeitstage“ (Monday to Friday without holidays, the days phrasebook counts):
„Werktage“ include Saturdays in German law, so a letter promising „fünf Werktage“ would count
differently from the plan behind it. English says "working days" (en_GB) and "business days"
(en_US).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY
from samples import SCENARIOS, fixture_path

from phrasebook.cli import cli

#: The word a language must not use, and the one it uses instead.
OTHER_WORD = {
    "de": re.compile(r"werktag", re.IGNORECASE),
    "de_AT": re.compile(r"werktag", re.IGNORECASE),
    "de_CH": re.compile(r"werktag", re.IGNORECASE),
    "en": re.compile(r"business[ -]day", re.IGNORECASE),
    "en_US": re.compile(r"working[ -]day|workday", re.IGNORECASE),
}
REHEARSED = {path.stem for path in (Path(__file__).parents[1] / "templates" / "de" / "rehearse").glob("*.jinja")}
TODAY_ARG = ("--today", TODAY.isoformat())
COMMANDS = ["batch", "check", "config", "init", "lint", "list", "new", "plan", "rehearse", "render",
            "show", "stylesheet"]


def outputs(runner: CliRunner, lang: str) -> dict[str, str]:
    """Everything a user reads in ``lang``: letters, cheat sheets, show, plan with --explain."""
    texts = {}
    for scenario in SCENARIOS:
        params = fixture_path(scenario, lang)
        for command in (["render", scenario, "--format", "text"], ["rehearse", scenario, "--print"]):
            if command[0] == "rehearse" and scenario not in REHEARSED:
                continue
            result = runner.invoke(cli, [*command, "--lang", lang, "--params", params, *TODAY_ARG])
            assert result.exit_code == 0, (command, result.stderr)
            texts[" ".join(command)] = result.stdout
        texts[f"show {scenario}"] = runner.invoke(cli, ["show", scenario, "--lang", lang]).stdout
    for args in (("-e", "2.5", "--explain"), ("-e", "5", "--start", "2026-11-28", "-b", "0", "--explain"),
                 ("-e", "5", "--format", "json", "--explain")):
        result = runner.invoke(cli, ["plan", *args, "--lang", lang, *TODAY_ARG])
        assert result.exit_code == 0, result.stderr
        texts[f"plan {args}"] = result.stdout
    return texts


@pytest.mark.parametrize("lang", list(OTHER_WORD))
def test_letters_scripts_show_and_plan_use_one_word_for_working_days(runner, lang) -> None:
    texts = outputs(runner, lang)
    found = {name: OTHER_WORD[lang].findall(text) for name, text in texts.items()}
    assert {name: words for name, words in found.items() if words} == {}
    # the word that is used is there (so that the test looks at texts that name working days)
    own = {"de": "Arbeitstag", "en": "working day", "en_US": "business day"}[lang[:2] if lang != "en_US" else lang]
    assert sum(own in text for text in texts.values()) >= 3


@pytest.mark.parametrize(("message_language", "other"), [("de", OTHER_WORD["de"]), ("en", OTHER_WORD["en"])])
def test_help_screens_use_one_word_for_working_days(message_language, other) -> None:
    runner = CliRunner(env={"PHRASEBOOK_LANG": message_language})
    screens = {"phrasebook": runner.invoke(cli, ["--help"]).stdout}
    for command in COMMANDS:
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0, command
        screens[command] = result.stdout
    for scenario in SCENARIOS:
        result = runner.invoke(cli, ["render", scenario, "--help"])
        assert result.exit_code == 0, scenario
        screens[f"render {scenario}"] = result.stdout
    assert {name: other.findall(text) for name, text in screens.items() if other.search(text)} == {}
    assert "Working days of real work" in screens["plan"]
