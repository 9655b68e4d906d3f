"""terms-update: new terms from a set date, each rule as one point, a rate with old and new amount."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TODAY
from samples import assert_every_variant_reads_cleanly, changed, example

import phrasebook
from phrasebook.cli import cli
from phrasebook.errors import InvalidParams

CLIENTS = Path(__file__).parent / "fixtures" / "terms-update-clients.csv"
RULES = ("payment_days", "reachable", "response_hours", "cancellation_hours", "no_show", "old_rate", "new_rate", "vat")

#: Every branch of the letter: each rule alone, the edge values, without reason or VAT.
BRANCHES = [
    {},
    {"reason": None},
    {**dict.fromkeys(RULES), "payment_days": 0},
    {**dict.fromkeys(RULES), "payment_days": 1},
    {**dict.fromkeys(RULES), "reachable": "nach Absprache"},
    {**dict.fromkeys(RULES), "response_hours": 1},
    {**dict.fromkeys(RULES), "cancellation_hours": 1},
    {**dict.fromkeys(RULES), "cancellation_hours": 24, "no_show": "counts_as_held"},
    {**dict.fromkeys(RULES), "old_rate": "80", "new_rate": "90", "rate_basis": "per_session"},
    {"rate_basis": "per_day", "vat": "included", "currency": "CHF"},
    {"rate_basis": "per_month", "payment_days": None, "reachable": None},
]


def _params(base: dict, change: dict) -> dict:
    return changed(base, change)


def _english(change: dict) -> dict:
    return {k: ("by arrangement" if k == "reachable" and v == "nach Absprache" else v) for k, v in change.items()}


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("number", range(len(BRANCHES)))
def test_every_branch_and_variant_reads_cleanly(lang: str, number: int) -> None:
    change = BRANCHES[number] if lang == "de" else _english(BRANCHES[number])
    assert_every_variant_reads_cleanly("terms-update", lang, change, today=TODAY)


@pytest.mark.parametrize(
    ("lang", "change", "sentence"),
    [
        ("de", {}, "ab dem 5. Januar 2027 gelten für unsere Zusammenarbeit neue Regeln. Ich schreibe Ihnen schon "
         "heute, damit Sie sich in Ruhe darauf einstellen können."),
        ("de", {}, "- Honorar: Mein Stundensatz steigt zum 5. Januar 2027 von 95,00\xa0€ auf 110,00\xa0€, jeweils "
         "zuzüglich Umsatzsteuer."),
        ("de", {"vat": None, "rate_basis": "per_session"}, "Mein Honorar je Sitzung steigt zum 5. Januar 2027 von "
         "95,00\xa0€ auf 110,00\xa0€."),
        ("de", {"formality": "informal"},
         "Ich schreibe dir schon heute, damit du dich in Ruhe darauf einstellen kannst."),
        ("de", {}, "- Zahlung: Rechnungen sind innerhalb von 14 Tagen nach Erhalt fällig."),
        ("de", {"payment_days": 0}, "Rechnungen sind sofort nach Erhalt fällig."),
        ("de", {}, "- Erreichbarkeit: Ich bin montags bis donnerstags von 9 bis 16 Uhr erreichbar. Nachrichten "
         "beantworte ich an Arbeitstagen innerhalb von 24 Stunden."),
        ("de", {"no_show": "counts_as_held"}, "Später abgesagte oder versäumte Termine gelten als wahrgenommen."),
        ("de", {**dict.fromkeys(RULES), "payment_days": 30},
         "ab dem 5. Januar 2027 gilt für unsere Zusammenarbeit eine neue Regel."),
        ("de", {**dict.fromkeys(RULES), "old_rate": "95", "new_rate": "110", "rate_basis": "per_session"},
         "ab dem 5. Januar 2027 gilt für unsere Zusammenarbeit ein neues Honorar je Sitzung."),
        ("en", {**dict.fromkeys(RULES), "old_rate": "95", "new_rate": "110", "rate_basis": "per_day"},
         "A new day rate will apply from 5 January 2027."),
        ("en", {}, "New terms will apply to our work together from 5 January 2027. I am letting you know now"),
        ("en", {}, "- Rates: my hourly rate will rise from €95.00 to €110.00 (both plus VAT) on 5 January 2027."),
        ("en", {"formality": "informal"}, "I’m letting you know now"),
        ("en", {"response_hours": 1}, "I reply to messages within one hour on working days."),
        ("en", {**dict.fromkeys(RULES), "payment_days": 0},
         "One of the terms of our work together will change from 5 January 2027."),
        ("en", {"cancellation_hours": 1}, "up to one hour beforehand. Later cancellations and missed appointments "
         "are charged in full."),
    ],
)
def test_what_the_letter_says(lang: str, change: dict, sentence: str) -> None:
    params = _params(example("terms-update", lang), change)
    assert sentence in phrasebook.render("terms-update", lang, params, today=TODAY).body


@pytest.mark.parametrize(
    ("lang", "change", "subject"),
    [
        ("de", {}, "Neue Regeln für unsere Zusammenarbeit ab dem 5. Januar 2027"),
        ("de", {**dict.fromkeys(RULES), "old_rate": "95", "new_rate": "110"},
         "Mein neuer Stundensatz ab dem 5. Januar 2027"),
        ("de", {**dict.fromkeys(RULES), "old_rate": "95", "new_rate": "110", "rate_basis": "per_month"},
         "Mein neues Monatshonorar ab dem 5. Januar 2027"),
        ("en", {}, "Updated terms for our work together from 5 January 2027"),
        ("en", {**dict.fromkeys(RULES), "old_rate": "95", "new_rate": "110", "rate_basis": "per_day"},
         "My new day rate from 5 January 2027"),
    ],
)
def test_subject(lang: str, change: dict, subject: str) -> None:
    params = _params(example("terms-update", lang), change)
    assert phrasebook.render("terms-update", lang, params, today=TODAY).subject == subject


def test_us_english_names_business_days_and_the_date_with_its_comma() -> None:
    params = dict(example("terms-update", "en"), currency="USD")
    body = phrasebook.render("terms-update", "en_US", params, today=TODAY).body
    assert "New terms will apply to our work together from January 5, 2027." in body
    assert "within 24 hours on business days." in body
    assert "from $95.00 to $110.00 (both plus sales tax) on January 5, 2027." in body


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"effective_date": TODAY.isoformat()},
         ["effective_date: 2026-11-24 is not in the future (today is 2026-11-24); new terms need a later date"]),
        ({"effective_date": "2026-11-20"},
         ["effective_date: 2026-11-20 is not in the future (today is 2026-11-24); new terms need a later date"]),
        ({"old_rate": None}, ["old_rate: missing; a new rate states the current one too"]),
        ({"new_rate": None, "vat": None}, ["new_rate: missing; old_rate only makes sense with the new rate"]),
        ({"new_rate": "95,00"}, ["new_rate: 95.00 is not above old_rate (95.00); the letter announces an increase"]),
    ],
)
def test_refused_values_name_the_parameter(change: dict, expected: list[str]) -> None:
    params = _params(example("terms-update", "de"), change)
    with pytest.raises(InvalidParams) as raised:
        phrasebook.render("terms-update", "de", params, today=TODAY)
    assert list(raised.value.problems) == expected


def test_the_effective_date_is_judged_against_today_from_the_command_line(runner) -> None:
    args = ["render", "terms-update", "--lang", "de", "--example"]
    later = runner.invoke(cli, [*args, "--today", "2027-03-01", "--set", "effective_date=2027-02-01"])
    assert later.exit_code == 2
    assert "effective_date: 2027-02-01 is not in the future (today is 2027-03-01)" in later.output
    assert runner.invoke(cli, [*args, "--today", "2027-01-31", "--set", "effective_date=2027-02-01"]).exit_code == 0


def test_a_letter_needs_at_least_one_rule() -> None:
    params = _params(example("terms-update", "de"), dict.fromkeys(RULES))
    with pytest.raises(InvalidParams, match="payment_days"):
        phrasebook.render("terms-update", "de", params, today=TODAY)


def test_one_letter_per_client_through_batch(runner, tmp_path) -> None:
    out = tmp_path / "briefe"
    shared = _params(example("terms-update", "de"), {"recipient": None, "old_rate": None, "new_rate": None})
    common = tmp_path / "common.yaml"
    common.write_text(json.dumps(shared, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, [
        "batch", "terms-update", str(CLIENTS), "--lang", "de", "--params", str(common), "--format", "text",
        "--today", TODAY.isoformat(), "-o", str(out),
    ])
    assert result.exit_code == 0, result.output
    letters = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    assert sorted(letters) == ["mueller-katrin.txt", "schmidt-alex.txt", "weber-jonas.txt"]
    assert "Sehr geehrte Frau Dr. Müller," in letters["mueller-katrin.txt"]
    assert "von 95,00\xa0€ auf 110,00\xa0€" in letters["mueller-katrin.txt"]
    assert "Lieber Jonas," in letters["weber-jonas.txt"]
    assert "damit du dich in Ruhe darauf einstellen kannst" in letters["weber-jonas.txt"]
    assert "von 90,00\xa0€ auf 105,00\xa0€" in letters["weber-jonas.txt"]
    assert "Guten Tag Alex Schmidt," in letters["schmidt-alex.txt"]
    assert "von 100,00\xa0€ auf 115,00\xa0€" in letters["schmidt-alex.txt"]
    assert all("5. Januar 2027" in text for text in letters.values())


def test_a_batch_row_with_a_lower_new_rate_fails_alone(runner, tmp_path) -> None:
    rows = CLIENTS.read_text(encoding="utf-8").replace('"90,00","105,00"', '"90,00","85,00"')
    clients = tmp_path / "clients.csv"
    clients.write_text(rows, encoding="utf-8")
    out = tmp_path / "briefe"
    result = runner.invoke(cli, [
        "batch", "terms-update", str(clients), "--lang", "de", "--params",
        str(Path(__file__).parent / "fixtures" / "examples" / "terms-update.de.yaml"),
        "--today", TODAY.isoformat(), "-o", str(out),
    ])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.glob("*.md")) == ["mueller-katrin.md", "schmidt-alex.md"]
    assert "new_rate: 85.00 is not above old_rate (90.00)" in result.output



@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", ["terms-update: Neue Regeln der Zusammenarbeit ankündigen", "Ab wann die neuen Regeln gelten",
                "Der bisherige Satz, z. B. 95,00; nur zusammen mit new_rate"]),
        ("en", ["terms-update: Announce updated terms of collaboration", "When the new terms take effect",
                "The current rate, e.g. 95.00; only together with new_rate"]),
    ],
)
def test_show_and_help_in_both_languages(runner, lang: str, expected: list[str]) -> None:
    shown = runner.invoke(cli, ["show", "terms-update", "--lang", lang])
    helped = runner.invoke(cli, ["render", "terms-update", "--help"], env={"PHRASEBOOK_LANG": lang})
    assert shown.exit_code == 0, shown.output
    assert helped.exit_code == 0, helped.output
    flat = " ".join(shown.stdout.split())
    for text in expected:
        assert text in flat
    assert " ".join(expected[1].split()) in " ".join(helped.stdout.split())
