"""American and British English beyond the templates' word table: the plan report's words,
commas after the year, one salutation and closing style per letter."""

from __future__ import annotations

import re

import pytest
from conftest import TODAY
from samples import SCENARIOS, example

import phrasebook
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


@pytest.mark.parametrize("name", SCENARIOS)
def test_american_letters_use_one_salutation_and_closing_style(name: str) -> None:
    doc = phrasebook.render(name, "en_US", example(name, "en_US"), today=TODAY)
    salutations = re.findall(r"(?m)^(?:Dear|Hi|Hello) .*$", doc.body)
    assert salutations and all(line.endswith(",") for line in salutations), salutations
    assert not re.search(r"\b(?:Mr|Ms|Mrs|Dr|Mx)\s", doc.body)  # "Ms. Miller", never "Ms Miller"
    assert "Best regards," in doc.body or "All the best," in doc.body
    assert "Kind regards" not in doc.body and "working day" not in doc.body
