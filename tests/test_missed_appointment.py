"""missed-appointment: the facts, the agreed rule and its consequence, new dates."""

from __future__ import annotations

import pytest
from conftest import TODAY
from samples import assert_every_variant_reads_cleanly, changed, example

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams

#: Every branch of the letter: the event, the consequence, with and without fee and dates.
BRANCHES = [
    {},
    {"event": "cancelled_late"},
    {"no_show": "counts_as_held", "fee": None, "vat": None},
    {"fee": None, "vat": None, "appointment_time": None},
    {"next_dates": [{"date": "2026-11-30"}], "cancellation_hours": 1},
    {"next_dates": None, "event": "cancelled_late"},
    {"next_dates": [{"date": "2026-11-30", "time": "14:00"}, {"date": "2026-12-01"},
                    {"date": "2026-12-02", "time": "12:00"}], "vat": "included", "currency": "CHF"},
]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("number", range(len(BRANCHES)))
def test_every_branch_and_variant_reads_cleanly(lang: str, number: int) -> None:
    assert_every_variant_reads_cleanly("missed-appointment", lang, BRANCHES[number], today=TODAY)


@pytest.mark.parametrize(
    ("lang", "change", "sentence"),
    [
        ("de", {}, "ich melde mich wegen des Termins vom Montag, 23. November 2026, um 10:00 Uhr, für den wir unser "
         "Strategiegespräch vereinbart hatten. Der Termin hat nicht stattgefunden"),
        ("de", {}, "Für diesen Termin stelle ich Ihnen daher 180,00\xa0€ zuzüglich Umsatzsteuer in Rechnung."),
        ("de", {"fee": None, "vat": None}, "Diesen Termin stelle ich Ihnen daher in Rechnung."),
        ("de", {"no_show": "counts_as_held", "fee": None, "vat": None},
         "gelten als wahrgenommen, und so verbuche ich auch diesen."),
        ("de", {"event": "cancelled_late", "formality": "informal"},
         "Du hast ihn kurzfristig abgesagt, und ich danke dir, dass du Bescheid gegeben hast."),
        ("de", {"cancellation_hours": 1}, "bis eine Stunde vorher kostenfrei"),
        ("de", {"next_dates": None, "formality": "informal"}, "Nenn mir zwei oder drei Zeiten, die dir"),
        ("de", {"next_dates": [{"date": "2026-11-30", "time": "14:00"}]},
         "Für den nächsten Termin schlage ich Ihnen vor: Montag, 30. November 2026, um 14:00 Uhr. Passt Ihnen das?"),
        ("en", {}, "I am writing about our strategy meeting of Monday, 23 November 2026 at 10:00 am. "
         "You were not able to make it,"),
        ("en", {}, "so I will invoice €180.00 plus VAT for this appointment."),
        ("en", {"event": "cancelled_late"}, "You cancelled at short notice – thank you for letting me know."),
        ("en_US", {}, "You canceled on short notice – thank you for letting me know."),
        ("en", {"no_show": "counts_as_held", "fee": None, "vat": None},
         "are treated as having taken place, so I will record this one"),
        ("en", {"cancellation_hours": 1}, "up to one hour in advance."),
    ],
)
def test_what_the_letter_says(lang: str, change: dict, sentence: str) -> None:
    params = changed(example("missed-appointment", lang), change)
    assert sentence in phrasebook.render("missed-appointment", lang, params, today=TODAY).body


@pytest.mark.parametrize(
    ("lang", "change", "subject"),
    [
        ("de", {}, "Unser Termin vom 23. November und neue Terminvorschläge"),
        ("de", {"next_dates": [{"date": "2026-11-30"}]}, "Unser Termin vom 23. November und ein neuer Terminvorschlag"),
        ("de", {"next_dates": None}, "Unser Termin vom 23. November"),
        ("en", {}, "Our appointment of 23 November and new dates"),
        ("en", {"next_dates": [{"date": "2026-11-30"}]}, "Our appointment of 23 November and a new date"),
    ],
)
def test_subject(lang: str, change: dict, subject: str) -> None:
    params = changed(example("missed-appointment", lang), change)
    assert phrasebook.render("missed-appointment", lang, params, today=TODAY).subject == subject


@pytest.mark.parametrize(
    ("currency", "expected"), [("EUR", "€180.00 plus VAT for"), ("USD", "$180.00 plus sales tax for")]
)
def test_us_english_names_the_tax_of_the_currency(currency: str, expected: str) -> None:
    params = dict(example("missed-appointment", "en"), currency=currency)
    assert expected in phrasebook.render("missed-appointment", "en_US", params, today=TODAY).body


def test_an_appointment_in_the_future_is_refused() -> None:
    params = dict(example("missed-appointment", "de"), appointment_date="2026-11-30")
    with pytest.raises(InvalidParams, match="appointment_date"):
        phrasebook.render("missed-appointment", "de", params, today=TODAY)


def test_the_rule_comes_from_the_client_profile(tmp_path, runner) -> None:
    clients = tmp_path / "clients.yaml"
    clients.write_text(
        "clients:\n  mueller:\n    language: de\n    formality: informal\n"
        "    recipient: {first_name: Katrin, last_name: Müller, gender: female}\n"
        "    params:\n      sender: {name: Anna Schäfer}\n      cancellation_hours: 24\n"
        "      no_show: counts_as_held\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, [
        "render", "missed-appointment", "--client", "mueller", "--clients", str(clients),
        "--today", TODAY.isoformat(), "--set", "appointment=unseren Workshop",
        "--set", "appointment_date=-1 working days",
    ])
    assert result.exit_code == 0, result.output
    assert "bis 24 Stunden vorher kostenfrei absagen" in result.stdout
    assert "gelten als wahrgenommen" in result.stdout
    assert "Liebe Katrin," in result.stdout



@pytest.mark.parametrize("day", ["2026-11-24", "2026-11-20", "-1 working days"])
def test_new_dates_today_or_earlier_are_refused_naming_the_value(day: str) -> None:
    params = dict(example("missed-appointment", "en"), next_dates=[{"date": "2026-11-30"}, {"date": day}])
    with pytest.raises(InvalidParams) as caught:
        phrasebook.render("missed-appointment", "en", params, today=TODAY)
    [problem] = caught.value.problems
    assert problem.startswith("next_dates: item 2: date: 2026-11-")
    assert problem.endswith("is not after today (2026-11-24); expected a later day")


def test_a_fee_with_counts_as_held_is_refused_rather_than_left_unsaid(runner) -> None:
    params = dict(example("missed-appointment", "en"), no_show="counts_as_held")
    with pytest.raises(InvalidParams) as caught:
        phrasebook.render("missed-appointment", "en", params, today=TODAY)
    assert caught.value.problems == (
        "fee: 180.00 is charged only with no_show: charged (no_show is counts_as_held); "
        "leave fee out or set no_show to charged",
    )
    result = runner.invoke(cli, [
        "render", "missed-appointment", "--lang", "de", "--example", "--set", "no_show=counts_as_held",
    ])
    assert result.exit_code == 2
    assert "fee: 180.00 is charged only with no_show: charged" in result.output
