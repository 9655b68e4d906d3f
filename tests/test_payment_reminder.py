"""The payment-reminder letter: facts, the new payment date, the two reminder levels, the tone."""

from __future__ import annotations

import re

import pytest
from conftest import TODAY
from samples import example, fixture_path, variants

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams


def render(lang: str, **changes) -> phrasebook.Document:
    params = example("payment-reminder", lang)
    params.update(changes)
    return phrasebook.render("payment-reminder", lang, params, today=TODAY)


def test_states_invoice_amount_and_dates_with_babel_formats() -> None:
    body = render("de").body
    assert "- Rechnung: 2026/114 vom 23. Oktober 2026\n" in body
    assert "- Betrag: 2.380,00\xa0€\n" in body
    assert "- Fälligkeit: 13. November 2026\n" in body
    english = render("en").body
    assert "- Amount: €2,380.00\n" in english
    assert "- Due date: 13 November 2026\n" in english


def test_other_currency() -> None:
    assert "- Betrag: 980,50\xa0CHF\n" in render("de", amount="980,50", currency="CHF").body
    assert "- Amount: £980.50\n" in render("en", amount="980.50", currency="GBP").body
    # Babel writes "CHF980.50"; CLDR's currency spacing asks for a space after the code.
    assert "- Amount: CHF\xa0980.50\n" in render("en", amount="980.50", currency="CHF").body


def test_new_payment_date_is_today_plus_days_unless_given() -> None:
    assert "bis Dienstag, 1. Dezember 2026." in render("de").body
    assert "bis Freitag, 4. Dezember 2026." in render("de", pay_within_days="10").body
    given = render("de", new_due_date="2026-12-08", pay_within_days="10").body
    assert "bis Dienstag, 8. Dezember 2026." in given
    assert "by Tuesday, 8 December 2026." in render("en", new_due_date="2026-12-08").body


def test_a_computed_payment_date_moves_on_to_the_next_working_day() -> None:
    # 24 November + 4 days is a Saturday
    assert "bis Montag, 30. November 2026." in render("de", pay_within_days="4").body
    # 1 January is a public holiday everywhere, 6 January only in some regions
    late = {"invoice_date": "2026-12-01", "due_date": "2026-12-20"}
    doc = phrasebook.render(
        "payment-reminder", "de", {**example("payment-reminder", "de"), **late,
                                   "pay_within_days": "8", "region": "DE-BY"},
        today=TODAY.replace(month=12, day=29),
    )
    assert "bis Donnerstag, 7. Januar 2027." in doc.body


def test_a_given_payment_date_must_be_a_working_day() -> None:
    with pytest.raises(InvalidParams) as exc:
        render("de", new_due_date="2026-11-29")
    assert list(exc.value.problems) == [
        "new_due_date: 2026-11-29 is a Sunday; the next working day is 2026-11-30 (Monday)"
    ]
    with pytest.raises(InvalidParams) as exc:
        render("en", new_due_date="2026-12-25")
    assert "new_due_date: 2026-12-25 is a public holiday in DE (Erster Weihnachtstag)" in exc.value.problems[0]


def test_second_reminder_refers_to_the_first_and_is_firmer() -> None:
    doc = render("de", reminder_level="second", previous_reminder="2026-11-24")
    assert doc.subject == "Zweite Zahlungserinnerung: Rechnung 2026/114 vom 23. Oktober 2026"
    assert (
        doc.body.splitlines()[2]
        == "am 24. November 2026 habe ich Sie an die folgende Rechnung erinnert:"
    )
    assert "bis spätestens Dienstag, 1. Dezember 2026" in doc.body
    assert "nächsten Schritte" in doc.body
    without_date = render("en", reminder_level="second").body
    assert "In my last message I sent you a reminder about the following invoice:" in without_date


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("formality", ["formal", "informal"])
@pytest.mark.parametrize("level", ["first", "second"])
def test_friendly_firmness(lang: str, formality: str, level: str) -> None:
    text = render(lang, formality=formality, reminder_level=level).text.lower()
    weak = (
        r"leider|entschuldig|tut mir leid|sorry|apologi|zeitnah"
        r"|so schnell wie möglich|as soon as possible"
    )
    assert not re.search(weak, text)
    threats = (
        r"inkasso|anwalt|mahnbescheid|gericht|verzugszins"
        r"|debt collect|solicitor|lawyer|court|interest"
    )
    assert not re.search(threats, text)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_letter_passes_the_tone_linter(lang: str) -> None:
    from phrasebook import lint
    for label, params in variants("payment-reminder", lang):
        for level in ("first", "second"):
            doc = phrasebook.render(
                "payment-reminder", lang, dict(params, reminder_level=level), today=TODAY
            )
            findings = lint.lint_text(doc.body, lang)
            assert [(f.rule, f.match) for f in findings] == [], (label, level)


def test_dates_must_be_in_a_sensible_order(runner) -> None:
    with pytest.raises(InvalidParams) as exc:
        render("de", invoice_date="2026-11-20", due_date="2026-11-13", new_due_date="2026-11-23")
    assert exc.value.problems == (
        "invoice_date: 2026-11-20 is after due_date (2026-11-13)",
        "new_due_date: 2026-11-23 is in the past (today is 2026-11-24)",
    )
    result = runner.invoke(
        cli,
        ["render", "payment-reminder", "--params", fixture_path("payment-reminder", "de"), "--lang", "de",
         "--today", "2026-11-10"],
    )
    assert result.exit_code == 2
    assert "due_date: 2026-11-13 is in the future (today is 2026-11-10)" in result.output


@pytest.mark.parametrize(("lang", "amount"), [("en", "12.345"), ("de", "12,345"), ("de", "2.380,005")])
def test_an_amount_below_the_cent_is_refused_not_rounded(lang: str, amount: str) -> None:
    with pytest.raises(InvalidParams) as exc:
        render(lang, amount=amount)
    problem = exc.value.problems[0]
    assert problem.startswith("amount: ")
    assert "more than two decimal places" in problem or "expected an amount written like" in problem
